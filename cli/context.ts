/**
 * What every command receives from `cli/main.ts`: the global options, the output, a lazily
 * connected Temporal client, and the stderr logger.
 */
import type { Command } from 'commander';
import type { Client } from '@temporalio/client';
import type { Logger } from '../lib/logger';
import { connectClient, globalDefaults, type ConnectedClient, type GlobalOptions } from './client';
import { processOutput, type Output } from './output';

/** Shared services of the commands; each command file exports `register(program, ctx)`. */
export interface CliContext {
  /** Global options resolved for the running command. */
  options(cmd: Command): GlobalOptions;
  /** Output bound to the command's `--json`. */
  output(cmd: Command): Output;
  /** A client connected with the command's `--address` / `--namespace` (closed at exit). */
  client(cmd: Command): Promise<Client>;
  readonly logger: Logger;
  /** Releases the connection, if one was opened. */
  close(): Promise<void>;
}

/** Creates the context; `stdout` / `stderr` are injectable for tests. */
export function createCliContext(
  logger: Logger,
  streams: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {},
): CliContext {
  let connected: ConnectedClient | undefined;
  const options = (cmd: Command): GlobalOptions => {
    const o = cmd.optsWithGlobals<Partial<GlobalOptions>>();
    const d = globalDefaults();
    return {
      address: o.address ?? d.address,
      namespace: o.namespace ?? d.namespace,
      taskQueue: o.taskQueue ?? d.taskQueue,
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
    logger,
    async close() {
      await connected?.close();
      connected = undefined;
    },
  };
}
