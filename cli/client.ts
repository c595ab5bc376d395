/**
 * The CLI's only way out: a Temporal client. The CLI never talks to AWS; everything on-call does
 * goes through a workflow and lands in its history.
 */
import { Client, Connection } from '@temporalio/client';
import { CliError, EXIT } from './output';

/** Global options shared by every command (defaults from the environment). */
export interface GlobalOptions {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly json: boolean;
}

/** Defaults of the global options: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, GAMEDAY_TASK_QUEUE. */
export function globalDefaults(env: NodeJS.ProcessEnv = process.env): Omit<GlobalOptions, 'json'> {
  return {
    address: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.GAMEDAY_TASK_QUEUE || 'gameday',
  };
}

/** A connected client and how to release it. */
export interface ConnectedClient {
  readonly client: Client;
  close(): Promise<void>;
}

/** Connects to Temporal; an unreachable server is exit 1 with how to start one. */
export async function connectClient(opts: Pick<GlobalOptions, 'address' | 'namespace'>): Promise<ConnectedClient> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: opts.address, connectTimeout: '5s' });
  } catch (err) {
    throw new CliError(
      `cannot reach Temporal at ${opts.address} (${err instanceof Error ? err.message : String(err)}); start a dev server with \`npm run temporal -- start\` or set --address / TEMPORAL_ADDRESS`,
      EXIT.runFailed,
    );
  }
  return { client: new Client({ connection, namespace: opts.namespace }), close: () => connection.close() };
}
