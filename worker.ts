/**
 * The gameday worker: registers every workflow and the activities bound to their dependencies
 * (real AWS or the simulated AWS, see `lib/composition-root.ts`) on the task queue.
 *
 *   npm run worker            # GAMEDAY_AWS=sim by default: an in-process sim seeded from runbooks/
 *   GAMEDAY_AWS=real npm run worker
 *
 * SIGINT / SIGTERM stop polling, let in-flight activities finish within GAMEDAY_SHUTDOWN_GRACE_MS,
 * then exit 0.
 */
import { Runtime } from '@temporalio/worker';
import type { ActivityDeps } from './activities/deps';
import { loadWorkerConfig, type WorkerConfig } from './lib/config';
import { composeWorker, type ComposedWorker } from './lib/composition-root';
import { createLogger, type Logger } from './lib/logger';
import {
  describeTemporalConnection,
  loadTemporalConnection,
  TemporalConnectionError,
  type TemporalConnection,
} from './lib/temporal-connection';
import { PinoTemporalLogger } from './lib/temporal-logger';

/** A created (not yet running) worker with what it owns. */
export type GamedayWorker = ComposedWorker;

/** Options of `createWorker`. */
export interface CreateWorkerOptions {
  /** Use these deps instead of building them from `config` (tests). */
  readonly deps?: ActivityDeps;
  readonly logger?: Logger;
  /** Temporal connection settings. @default `loadTemporalConnection()`: profile file and TEMPORAL_* variables */
  readonly temporal?: TemporalConnection;
}

/** Connects to Temporal and creates the worker for `config` (does not start polling); see `lib/composition-root.ts`. */
export async function createWorker(config: WorkerConfig, opts: CreateWorkerOptions = {}): Promise<GamedayWorker> {
  const logger = opts.logger ?? createLogger({ level: config.LOG_LEVEL });
  return composeWorker(config, { logger, temporal: opts.temporal ?? loadTemporalConnection(), ...(opts.deps ? { deps: opts.deps } : {}) });
}

/** Process entry: config from the env, pino for every log, graceful shutdown on signals. */
export async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'gameday-worker' });
  Runtime.install({ logger: new PinoTemporalLogger(logger), shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const temporal = loadTemporalConnection();
  const w = await createWorker(config, { logger, temporal });
  logger.info(
    {
      taskQueue: config.GAMEDAY_TASK_QUEUE,
      temporal: describeTemporalConnection(temporal),
      aws: config.GAMEDAY_AWS,
    },
    'worker started',
  );
  await w.run();
  logger.info('worker stopped cleanly');
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      // A connection setting the operator must fix is one line, without a stack.
      const detail = err instanceof TemporalConnectionError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
      process.stderr.write(`worker failed: ${detail}\n`);
      process.exit(1);
    },
  );
}
