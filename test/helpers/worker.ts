/**
 * Shared test fixture: an in-process worker on a unique task queue, with activities bound to an
 * in-process sim seeded from the runbooks, connected to the real dev server (global setup).
 *
 *   const w = await startTestWorker('preflight');
 *   const report = await w.client.workflow.execute(preflightWorkflow, { taskQueue: w.taskQueue, ... });
 *   await w.shutdown();
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, type NativeConnection, type Worker, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import { loadWorkerConfig } from '../../lib/config';
import { composeWorker } from '../../lib/composition-root';
import { createBudgetWorkers } from '../../lib/budget-workers';
import { createSimFromRunbookDir } from '../../sim';
import type { ActivityDeps } from '../../activities/deps';
import { createLogger } from '../../lib/logger';
import { loadTemporalConnection } from '../../lib/temporal-connection';
import { loadDataConverter } from '../../lib/payload-codec';
import { DEFAULT_RUNBOOK_DIR } from '../../runbooks/load';
import type { SimAws } from '../../sim';
import { folderPolicy, type WorkerPolicy } from '../../runbooks/blast-radius';

/** Options of `startTestWorker`. */
export interface TestWorkerOptions {
  /** Simulated ms per wall ms. @default 600 */
  readonly scale?: number;
  /** @default runbooks/ */
  readonly runbookDir?: string;
  /** Use this sim instead of a fresh one seeded from `runbookDir`. */
  readonly sim?: SimAws;
  /** Override parts of the deps (e.g. a real canary connector). */
  readonly deps?: Partial<ActivityDeps>;
  /**
   * The worker's blast radius. @default the runbook folder's accounts and regions, with inline
   * runbook YAML allowed (the CLI's `--runbook FILE` sends it); tests of the refusals set their own.
   */
  readonly policy?: WorkerPolicy;
}

/** A running worker and a client on the same task queue. */
export interface TestWorker {
  readonly client: Client;
  readonly taskQueue: string;
  readonly sim: SimAws;
  readonly deps: ActivityDeps;
  readonly worker: Worker;
  /** A workflow id unique to this test run, e.g. `id('preflight-payments')`. */
  id(prefix: string): string;
  /** Stops the worker (waiting for in-flight tasks), closes connections and the sim. */
  shutdown(): Promise<void>;
}

/** Starts a worker on task queue `test-<name>-<random>` against `TEMPORAL_ADDRESS`. */
export async function startTestWorker(name: string, opts: TestWorkerOptions = {}): Promise<TestWorker> {
  const runbookDir = opts.runbookDir ?? DEFAULT_RUNBOOK_DIR;
  const sim = opts.sim ?? createSimFromRunbookDir(runbookDir, { scale: opts.scale ?? 600 });
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'error', name: `test-${name}` });
  const policy = opts.policy ?? {
    ...folderPolicy(runbookDir),
    allowInlineRunbooks: true,
    source: `test worker: the runbooks in ${runbookDir}`,
  };
  const deps: ActivityDeps = { aws: sim, clock: sim.world.clock, logger, runbookDir, canary: sim.canary, policy, ...opts.deps };

  // Keep test output readable: the worker's and Temporal's own logs at ERROR (LOG_LEVEL=warn, debug … to see more).
  if (!Runtime._instance) Runtime.install({ logger: new DefaultLogger(temporalLevel()) });
  const {
    client,
    taskQueue,
    worker,
    stop,
    deps: composed,
  } = await connectWorker(name, {
    deps,
    workflows: { workflowsPath: require.resolve('../../workflows') },
    shutdownGraceTime: '5s',
  });

  return {
    client,
    taskQueue,
    sim,
    deps: composed,
    worker,
    id: (prefix) => `${prefix}-${randomUUID().slice(0, 8)}`,
    shutdown: async () => {
      await stop();
      sim.close();
    },
  };
}

/** What {@link connectWorker} runs: activities bound to `deps`, the workflows from source or a prebuilt bundle. */
export interface WorkerSetup {
  readonly deps: ActivityDeps;
  readonly workflows: { readonly workflowsPath: string } | { readonly workflowBundle: WorkflowBundle };
  readonly shutdownGraceTime: WorkerOptions['shutdownGraceTime'];
}

/** A running in-process worker and a client, both connected with `loadTemporalConnection()` (TEMPORAL_* variables, profile). */
export interface ConnectedWorker {
  readonly client: Client;
  readonly taskQueue: string;
  readonly worker: Worker;
  /** The deps the worker's activities run with (behind the blast-radius guard, with the liveness port). */
  readonly deps: ActivityDeps;
  /** Stops the worker (waiting for in-flight tasks) and closes both connections. */
  stop(): Promise<void>;
}

/** Creates and runs a worker on task queue `test-<name>-<random>` (through the composition root) and connects a client to the same server. */
export async function connectWorker(name: string, setup: WorkerSetup): Promise<ConnectedWorker> {
  const temporal = loadTemporalConnection();
  const config = loadWorkerConfig({ ...process.env, GAMEDAY_TASK_QUEUE: `test-${name}-${randomUUID().slice(0, 8)}` });
  const composed = await composeWorker(config, {
    logger: setup.deps.logger,
    temporal,
    deps: setup.deps,
    workflows: setup.workflows,
    shutdownGraceTime: setup.shutdownGraceTime,
  });
  const running = composed.run();
  const connection = await Connection.connect(temporal.options);
  const dataConverter = loadDataConverter();
  const client = new Client({ connection, namespace: temporal.namespace, ...(dataConverter ? { dataConverter } : {}) });
  return {
    client,
    taskQueue: config.GAMEDAY_TASK_QUEUE,
    worker: composed.worker,
    deps: composed.deps,
    stop: async () => {
      composed.worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

function temporalLevel(): 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' {
  const l = (process.env.LOG_LEVEL ?? 'error').toUpperCase();
  return l === 'TRACE' || l === 'DEBUG' || l === 'INFO' || l === 'WARN' || l === 'ERROR' ? l : 'WARN';
}

/**
 * Runs the budget-queue workers (`lib/budget-workers.ts`) of `taskQueue` for `deps`, for a test
 * that builds its main worker by hand; resolves to a function that stops them.
 */
export async function runBudgetWorkers(
  connection: NativeConnection,
  taskQueue: string,
  deps: ActivityDeps,
  opts: Parameters<typeof createBudgetWorkers>[5] = {},
): Promise<() => Promise<void>> {
  const config = loadWorkerConfig({ ...process.env, GAMEDAY_TASK_QUEUE: taskQueue });
  const workers = await createBudgetWorkers(config, connection, loadTemporalConnection().namespace, deps, deps.logger, opts);
  const runs = workers.map((w) => w.run());
  return async () => {
    workers.forEach((w) => w.shutdown());
    await Promise.all(runs);
  };
}
