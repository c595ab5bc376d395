/**
 * The gameday worker: registers every workflow and the activities bound to their dependencies
 * (real AWS or the simulated AWS, see `activities/build-deps.ts`) on the task queue.
 *
 *   npm run worker            # GAMEDAY_AWS=sim by default: an in-process sim seeded from runbooks/
 *   GAMEDAY_AWS=real npm run worker
 *
 * SIGINT / SIGTERM stop polling, let in-flight activities finish within GAMEDAY_SHUTDOWN_GRACE_MS,
 * then exit 0.
 */
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from './activities';
import { buildActivityDeps, type BuiltDeps } from './activities/build-deps';
import type { ActivityDeps } from './activities/deps';
import { loadWorkerConfig, type WorkerConfig } from './lib/config';
import { createLogger, type Logger } from './lib/logger';
import {
  connectTemporal,
  describeTemporalConnection,
  loadTemporalConnection,
  TemporalConnectionError,
  type TemporalConnection,
} from './lib/temporal-connection';
import { PinoTemporalLogger } from './lib/temporal-logger';

/** A created (not yet running) worker with what it owns. */
export interface GamedayWorker {
  readonly worker: Worker;
  readonly deps: ActivityDeps;
  /** The in-process sim, if the deps built one. */
  readonly sim?: BuiltDeps['sim'];
  /** Runs until shutdown, then releases the connection and the deps. */
  run(): Promise<void>;
}

/** Options of `createWorker`. */
export interface CreateWorkerOptions {
  /** Use these deps instead of building them from `config` (tests). */
  readonly deps?: ActivityDeps;
  readonly logger?: Logger;
  /** Temporal connection settings. @default `loadTemporalConnection()`: profile file and TEMPORAL_* variables */
  readonly temporal?: TemporalConnection;
}

/** Connects to Temporal and creates the worker for `config` (does not start polling). */
export async function createWorker(config: WorkerConfig, opts: CreateWorkerOptions = {}): Promise<GamedayWorker> {
  const logger = opts.logger ?? createLogger({ level: config.LOG_LEVEL });
  const temporal = opts.temporal ?? loadTemporalConnection();
  const built: BuiltDeps = opts.deps ? { deps: opts.deps, close: async () => undefined } : await buildActivityDeps(config, logger);
  const connection = await connectTemporal(temporal, (o) => NativeConnection.connect(o));
  try {
    const worker = await Worker.create({
      connection,
      namespace: temporal.namespace,
      taskQueue: config.GAMEDAY_TASK_QUEUE,
      workflowsPath: require.resolve('./workflows'),
      activities: createActivities(
        built.deps,
        config.GAMEDAY_RDS_CALLS_PER_SECOND !== undefined ? { rdsCallsPerSecond: config.GAMEDAY_RDS_CALLS_PER_SECOND } : {},
      ),
      maxConcurrentActivityTaskExecutions: config.GAMEDAY_MAX_CONCURRENT_ACTIVITIES,
      ...(config.GAMEDAY_MAX_ACTIVITIES_PER_SECOND !== undefined
        ? { maxTaskQueueActivitiesPerSecond: config.GAMEDAY_MAX_ACTIVITIES_PER_SECOND }
        : {}),
      shutdownGraceTime: config.GAMEDAY_SHUTDOWN_GRACE_MS,
    });
    return {
      worker,
      deps: built.deps,
      sim: built.sim,
      run: async () => {
        try {
          await worker.run();
        } finally {
          await connection.close();
          await built.close();
        }
      },
    };
  } catch (err) {
    await connection.close();
    await built.close();
    throw err;
  }
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
