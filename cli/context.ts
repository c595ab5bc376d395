/**
 * What every command receives from `cli/main.ts`: the global options, the output, a lazily
 * connected Temporal client, and the stderr logger.
 */
import type { Command } from 'commander';
import type { Client } from '@temporalio/client';
import type { Logger } from '../lib/logger';
import type { TemporalConnection } from '../lib/temporal-connection';
import { connectClient, defaultTaskQueue, resolveConnection, type ConnectedClient, type GlobalOptions } from './client';
import { processOutput, type Output } from './output';

/** Shared services of the commands; each command file exports `register(program, ctx)`. */
export interface CliContext {
  /** Global options resolved for the running command. */
  options(cmd: Command): GlobalOptions;
  /** Output bound to the command's `--json`. */
  output(cmd: Command): Output;
  /** A client connected with the profile, the TEMPORAL_* variables and the command's overrides (closed at exit). */
  client(cmd: Command): Promise<Client>;
  /** The connection settings `client(cmd)` uses (for in-process workers of the same command). */
  connection(cmd: Command): TemporalConnection;
  readonly logger: Logger;
  /** Releases the connection, if one was opened. */
  close(): Promise<void>;
}

/**
 * Creates the context; `stdout` / `stderr` are injectable for tests. `logger` may be a factory,
 * called when a command first logs (a refused command never loads the logger).
 */
export function createCliContext(
  logger: Logger | (() => Logger),
  streams: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {},
): CliContext {
  let connected: ConnectedClient | undefined;
  let made: Logger | undefined = typeof logger === 'function' ? undefined : logger;
  const options = (cmd: Command): GlobalOptions => {
    const o = cmd.optsWithGlobals<Partial<GlobalOptions>>();
    return {
      ...(o.address !== undefined ? { address: o.address } : {}),
      ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
      ...(o.profile !== undefined ? { profile: o.profile } : {}),
      ...(o.configFile !== undefined ? { configFile: o.configFile } : {}),
      taskQueue: o.taskQueue ?? defaultTaskQueue(),
      json: o.json === true,
    };
  };
  return {
    options,
    output: (cmd) => processOutput(options(cmd).json, streams.stdout, streams.stderr),
    async client(cmd) {
      connected ??= await connectClient(options(cmd));
      return connected.client;
    },
    connection: (cmd) => resolveConnection(options(cmd)),
    get logger() {
      return (made ??= (logger as () => Logger)());
    },
    async close() {
      await connected?.close();
      connected = undefined;
    },
  };
}
