/**
 * Finds credential-like content anywhere in a value, by walking it generically: a map key such as
 * `password`, `secret`, `token` or `apiKey` with a literal value, a URL with a password in its
 * user-info, an AWS access key id or secret access key, a connection string or SQL with a
 * password, a private key, a bearer token or a JWT. gameday refuses such input because workflow
 * input and everything derived from it lands in workflow history; credentials come only from
 * Secrets Manager, referenced by ARN.
 *
 * Pure (no I/O, deterministic): the runbook loader and workflow-side checks can both use it.
 * Findings name the field path and the kind, never the value.
 */

/** One credential-like finding: where it is and what it looks like (never the value itself). */
export interface CredentialFinding {
  /** Dotted field path, e.g. `appReconfiguration.parameters.DbPassword`. */
  readonly path: string;
  /** What was recognised, e.g. `a key named like a credential`, `a URL with a password`. */
  readonly kind: string;
}

/** Key names that hold credentials (compared lower-case, without `-`, `_`, `.` or spaces). */
const CREDENTIAL_KEY =
  /(password|passwd|passphrase|pwd|secret|token|apikey|accesskey|privatekey|credential|authorization|sessionkey|clientsecret|connectionstring)/;

/** A key named like a credential may hold a reference to one: a Secrets Manager / SSM ARN or a `{{resolve:…}}`. */
const REFERENCE_VALUE = /^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|\{\{resolve:(secretsmanager|ssm-secure):)/;

const VALUE_PATTERNS: readonly { readonly kind: string; readonly re: RegExp }[] = [
  { kind: 'a URL with a password in its user-info', re: /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i },
  { kind: 'an AWS access key id', re: /\b(AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z0-9]{16}\b/ },
  {
    kind: 'an AWS secret access key',
    re: /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=]))(?=[^\s]*[A-Z])(?=[^\s]*[a-z])(?=[^\s]*[0-9/+])[A-Za-z0-9/+=]{40}/,
  },
  { kind: 'a connection string with a password', re: /(?:^|[;?&\s])(password|pwd|passwd)\s*=\s*[^;&\s]+/i },
  { kind: 'SQL with a password', re: /\b(identified\s+by|password)\s+(e?'[^']+'|"[^"]+"|\$\$)/i },
  { kind: 'a private key', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { kind: 'a bearer token', re: /\bBearer\s+[A-Za-z0-9._~+/-]{16,}/ },
  { kind: 'a JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  {
    kind: 'a credential assignment',
    re: /["']?\b(password|passwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)["']?\s*[:=]\s*(?!arn:aws)["']?[^\s"',;}]{3,}/i,
  },
];

function normalisedKey(key: string): string {
  return key.toLowerCase().replace(/[-_.\s]/g, '');
}

/** The credential-like kind of one string, or undefined. */
export function credentialKindOf(text: string): string | undefined {
  const withoutArns = text.replace(/arn:aws[a-z-]*:[^\s"',;]+/g, 'ARN'); // `…:secret:name` is a reference, not a secret
  return VALUE_PATTERNS.find((p) => p.re.test(withoutArns))?.kind;
}

function hasLiteral(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || typeof value === 'boolean') return false;
  if (typeof value === 'string') return !REFERENCE_VALUE.test(value.trim());
  if (Array.isArray(value)) return value.some(hasLiteral);
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).some(hasLiteral);
  return true; // a number is a literal too (a numeric PIN or password)
}

/** Every credential-like finding in `value` (keys and values at any depth). */
export function findCredentials(value: unknown, path: readonly (string | number)[] = [], depth = 0): CredentialFinding[] {
  const here = path.map(String).join('.');
  if (depth > 64) return [];
  if (typeof value === 'string') {
    const kind = credentialKindOf(value);
    return kind ? [{ path: here, kind }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findCredentials(v, [...path, i], depth + 1));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]): CredentialFinding[] => {
      const at = [...path, k];
      if (CREDENTIAL_KEY.test(normalisedKey(k)) && hasLiteral(v))
        return [{ path: at.map(String).join('.'), kind: 'a key named like a credential' }];
      const keyKind = credentialKindOf(k);
      return [...(keyKind ? [{ path: at.map(String).join('.'), kind: keyKind }] : []), ...findCredentials(v, at, depth + 1)];
    });
  }
  return [];
}

/** The message for one finding: the field, what it looks like and the fix (never the value). */
export function credentialMessage(f: CredentialFinding): string {
  return `looks like a credential (${f.kind}): gameday never accepts secrets in runbooks or workflow input, because they would be stored in workflow history; store it in AWS Secrets Manager and reference it by ARN (e.g. canary.secretArn)`;
}
