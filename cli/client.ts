/**
 * The CLI's only way out: a Temporal client. The CLI never talks to AWS; everything on-call does
 * goes through a workflow and lands in its history.
 *
 * Connection settings come from `lib/temporal-connection.ts` (a profile of the Temporal config
 * file, the TEMPORAL_* variables); `--address`, `--namespace`, `--profile` and `--config-file`
 * override them. The Temporal client, the payload codec and the worker config are loaded when a
 * command connects, not when the CLI starts: a command refused before it connects never loads them
 * (`require`, as `cli/command-table.ts` explains).
 */
import type { Client, Connection } from '@temporalio/client';
import { connectTemporal, loadTemporalConnection, TemporalConnectionError, type TemporalConnection } from '../lib/temporal-connection';
import { UsageError } from './output';

/** Global options shared by every command. */
export interface GlobalOptions {
  /** Overrides the profile's / TEMPORAL_ADDRESS. */
  readonly address?: string;
  /** Overrides the profile's / TEMPORAL_NAMESPACE. */
  readonly namespace?: string;
  /** Profile of the config file. @default TEMPORAL_PROFILE, else `default` */
  readonly profile?: string;
  /** Temporal config file. @default TEMPORAL_CONFIG_FILE, else ~/.config/temporalio/temporal.toml */
  readonly configFile?: string;
  readonly taskQueue: string;
  readonly json: boolean;
}

/** Default of `--task-queue`: GAMEDAY_TASK_QUEUE, else `gameday`. */
export function defaultTaskQueue(env: NodeJS.ProcessEnv = process.env): string {
  return env.GAMEDAY_TASK_QUEUE || 'gameday';
}

/** The connection settings of `opts`; a bad setting is a usage error (exit 2) naming it and the fix. */
export function resolveConnection(
  opts: Pick<GlobalOptions, 'address' | 'namespace' | 'profile' | 'configFile'>,
  env: NodeJS.ProcessEnv = process.env,
): TemporalConnection {
  try {
    return loadTemporalConnection({ env, overrides: opts });
  } catch (err) {
    if (err instanceof TemporalConnectionError) throw new UsageError(err.message);
    throw err;
  }
}

/** A connected client and how to release it. */
export interface ConnectedClient {
  readonly client: Client;
  readonly connection: TemporalConnection;
  close(): Promise<void>;
}

/**
 * Connects to Temporal. A missing certificate file, a refused TLS handshake, rejected credentials
 * or an unreachable address are exit 2: the message names the setting to fix and how.
 */
export async function connectClient(
  opts: Pick<GlobalOptions, 'address' | 'namespace' | 'profile' | 'configFile'>,
): Promise<ConnectedClient> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Client, Connection } = require('@temporalio/client') as typeof import('@temporalio/client');
  const { ConfigError } = require('../lib/config') as typeof import('../lib/config');
  const { loadDataConverter } = require('../lib/payload-codec') as typeof import('../lib/payload-codec');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const settings = resolveConnection(opts);
  let connection: Connection;
  try {
    connection = await connectTemporal(settings, (o) => Connection.connect({ ...o, connectTimeout: '5s' }));
  } catch (err) {
    if (err instanceof TemporalConnectionError) throw new UsageError(err.message);
    throw err;
  }
  let dataConverter;
  try {
    dataConverter = loadDataConverter(); // GAMEDAY_PAYLOAD_KEY: the same key as the worker's
  } catch (err) {
    await connection.close();
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const client = new Client({ connection, namespace: settings.namespace, ...(dataConverter ? { dataConverter } : {}) });
  return { client, connection: settings, close: () => connection.close() };
}
