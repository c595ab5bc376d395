/**
 * `CanaryConnector` for real databases: resolves the credentials from Secrets Manager (through
 * the `SecretsApi` port, in the secret's region) and opens a pg or mysql2 store. Credentials are
 * cached in memory per secret ARN so that a reconnect during a regional outage does not depend on
 * Secrets Manager; they are never logged or returned.
 */
import type { AwsClients, DbCredentials } from '../aws/ports';
import type { CanaryConnector, CanaryStore, CanaryTarget } from './canary-store';
import { openMysqlStore } from './mysql-store';
import { openPgStore } from './pg-store';

/** Options of the SQL connector. */
export interface SqlCanaryConnectorOptions {
  /** Receives background connection errors (server gone), for logging. */
  readonly onError?: (err: Error, target: CanaryTarget) => void;
  readonly connectTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
}

/** Builds the connector the worker uses against real AWS. */
export function createSqlCanaryConnector(aws: Pick<AwsClients, 'secrets'>, opts: SqlCanaryConnectorOptions = {}): CanaryConnector {
  const credentials = new Map<string, DbCredentials>();
  return {
    async connect(target: CanaryTarget): Promise<CanaryStore> {
      let creds = credentials.get(target.secretArn);
      if (!creds) {
        creds = await aws.secrets({ region: target.region }).getDbCredentials(target.secretArn);
        credentials.set(target.secretArn, creds);
      }
      const common = {
        host: target.endpoint,
        database: target.database,
        user: creds.username,
        password: creds.password,
        table: target.table,
        ...(target.port !== undefined ? { port: target.port } : {}),
        ...(opts.connectTimeoutMs !== undefined ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
        ...(opts.statementTimeoutMs !== undefined ? { statementTimeoutMs: opts.statementTimeoutMs } : {}),
        onError: (err: Error) => opts.onError?.(err, target),
      };
      return target.engine === 'postgres' ? openPgStore(common) : openMysqlStore(common);
    },
  };
}
