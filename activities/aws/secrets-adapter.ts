/**
 * `SecretsApi` over `@aws-sdk/client-secrets-manager`: reads a database secret
 * (`SecretString` JSON with `username` and `password`, the RDS-managed secret format). The secret
 * value never appears in an error message or a log line; errors name only the secret ARN.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DbCredentials, SecretsApi } from './ports';

/** Thrown when a secret is not a JSON `{username, password}` string; names the fix, never the content. */
export class SecretFormatError extends Error {
  override readonly name = 'SecretFormatError';
}

/** Parses a `SecretString` into credentials; error messages never include the text. */
export function parseDbCredentials(secretArn: string, secretString: string | undefined): DbCredentials {
  const fix = 'store SecretString as JSON {"username": "...", "password": "..."}';
  if (secretString === undefined) {
    throw new SecretFormatError(`secret ${secretArn} has no SecretString (binary secrets are not supported); ${fix}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // the parser's message quotes the text: drop it
    throw new SecretFormatError(`secret ${secretArn} is not valid JSON; ${fix}`);
  }
  const o = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const missing = ['username', 'password'].filter((k) => typeof o[k] !== 'string' || o[k] === '');
  if (missing.length > 0) {
    throw new SecretFormatError(`secret ${secretArn} lacks string field(s) ${missing.join(', ')}; ${fix}`);
  }
  return { username: o.username as string, password: o.password as string };
}

/** Builds the Secrets Manager port bound to `client`. */
export function createSecretsAdapter(client: SecretsManagerClient): SecretsApi {
  return {
    async getDbCredentials(secretArn) {
      const r = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
      return parseDbCredentials(secretArn, r.SecretString);
    },
  };
}
