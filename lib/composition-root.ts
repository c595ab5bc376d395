/**
 * The one composition root: every process that runs playbooks (the worker, the CLI's dry run,
 * the demo, the benchmarks and the tests) builds its activity dependencies and its Temporal
 * worker here, and nowhere else. `buildActivityDeps` picks the AWS side from the configuration:
 * - `GAMEDAY_AWS=real`: SDK v3 clients (`createSdkAwsClients`), wall clock, SQL canary connector;
 * - `GAMEDAY_AWS=sim` with `GAMEDAY_SIM_URL`: a running sim server over HTTP (`connectSim`);
 * - `GAMEDAY_AWS=sim` without it: an in-process sim seeded from the runbook folder.
 */
import { NativeConnection, Worker, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../activities';
import { guardAwsClients } from '../activities/aws/blast-radius-guard';
import { createSdkAwsClients } from '../activities/aws/client-factory';
import { createSqlCanaryConnector } from '../activities/canary/sql-connector';
import type { ActivityDeps } from '../activities/deps';
import type { WorkerPolicy } from '../runbooks/blast-radius';
import { DEFAULT_RUNBOOK_DIR } from '../runbooks/load';
import { createSimFromRunbookDir, type SimAws } from '../sim';
import { connectSim } from '../sim/http-client';
import { activityBoundsInterceptors } from './activity-bounds-interceptor';
import { awsCallCountInterceptors } from './aws-call-count-interceptor';
import { WORKFLOW_INTERCEPTOR_MODULES } from './workflow-interceptor-modules';
import { realClock } from './clock';
import type { WorkerConfig } from './config';
import type { Logger } from './logger';
import { loadDataConverter } from './payload-codec';
import { loadWorkerPolicy } from './worker-policy';
import { temporalLiveness } from './workflow-liveness';
import { createBudgetWorkers, runWithBudgetWorkers } from './budget-workers';
import { warmRefusalPaths } from './warm-up';
import { connectTemporal, loadTemporalConnection, type TemporalConnection } from './temporal-connection';

/** Deps plus what the worker must release at shutdown. */
export interface BuiltDeps {
  readonly deps: ActivityDeps;
  /** The in-process sim, when one was created (tests and the demo inspect it). */
  readonly sim?: SimAws;
  /** Releases clients, timers and connections. */
  close(): Promise<void>;
}

/** Creates the activity dependencies for `config` (see the module doc for the modes). */
export async function buildActivityDeps(config: WorkerConfig, logger: Logger, policy?: WorkerPolicy): Promise<BuiltDeps> {
  const runbookDir = config.GAMEDAY_RUNBOOK_DIR ?? DEFAULT_RUNBOOK_DIR;

  if (config.GAMEDAY_AWS === 'real') {
    // Under a fleet budget every SDK call is one HTTP request (no SDK retry): Temporal's retries,
    // each a charged attempt on the budget queue, own the retrying (lib/aws-budget.ts).
    const budgeted = config.GAMEDAY_RDS_CALLS_PER_SECOND !== undefined;
    const sdk = createSdkAwsClients({ endpoint: config.GAMEDAY_AWS_ENDPOINT, ...(budgeted ? { maxAttempts: 1 } : {}) });
    const aws = guardAwsClients(sdk, policy ?? loadWorkerPolicy(config, runbookDir)); // the canary's secret reads go through the guard too
    logger.info({ mode: 'real', endpoint: config.GAMEDAY_AWS_ENDPOINT }, 'activities use real AWS');
    return { deps: { aws, clock: realClock, logger, runbookDir, canary: createSqlCanaryConnector(aws) }, close: async () => undefined };
  }

  if (config.GAMEDAY_SIM_URL) {
    const remote = await connectSim(config.GAMEDAY_SIM_URL);
    logger.info({ mode: 'sim', url: config.GAMEDAY_SIM_URL }, 'activities use the sim server');
    return { deps: { aws: remote.aws, clock: remote.clock, logger, runbookDir, canary: remote.canary }, close: async () => undefined };
  }

  const sim = createSimFromRunbookDir(runbookDir, { scale: config.GAMEDAY_SIM_SCALE });
  logger.info({ mode: 'sim', runbookDir, scale: config.GAMEDAY_SIM_SCALE }, 'activities use an in-process sim seeded from the runbooks');
  return {
    deps: { aws: sim, clock: sim.world.clock, logger, runbookDir, canary: sim.canary },
    sim,
    close: async () => sim.close(),
  };
}

/** An in-process sim with every runbook of `runbookDir` seeded in a healthy steady state (tests, demo). */
export function createSimFromRunbooks(runbookDir: string, scale: number): SimAws {
  return createSimFromRunbookDir(runbookDir, { scale });
}

/** What `composeWorker` needs beyond the configuration. */
export interface ComposeOptions {
  readonly logger: Logger;
  /** Temporal connection settings. @default `loadTemporalConnection()`: profile file and TEMPORAL_* variables */
  readonly temporal?: TemporalConnection;
  /** Use these deps instead of building them from the configuration (tests, dry runs). */
  readonly deps?: ActivityDeps;
  /** Workflow code: the source folder (default) or a prebuilt bundle (tests share one). */
  readonly workflows?: { readonly workflowsPath: string } | { readonly workflowBundle: WorkflowBundle };
  /** @default config.GAMEDAY_SHUTDOWN_GRACE_MS */
  readonly shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /** The worker's blast radius. @default `deps.policy`, else `loadWorkerPolicy(config, runbookDir)`: GAMEDAY_POLICY_FILE, GAMEDAY_ALLOWED_* */
  readonly policy?: WorkerPolicy;
}

/** A created (not yet running) worker with what it owns. */
export interface ComposedWorker {
  readonly worker: Worker;
  readonly deps: ActivityDeps;
  /** The in-process sim, if the deps built one. */
  readonly sim?: SimAws;
  /** Runs until shutdown, then releases the connection and the deps. */
  run(): Promise<void>;
}

/** Connects to Temporal and creates the worker for `config`: every workflow, every activity bound to its deps. */
export async function composeWorker(config: WorkerConfig, opts: ComposeOptions): Promise<ComposedWorker> {
  const policy =
    opts.policy ??
    opts.deps?.policy ??
    loadWorkerPolicy(config, opts.deps?.runbookDir ?? config.GAMEDAY_RUNBOOK_DIR ?? DEFAULT_RUNBOOK_DIR);
  const built: BuiltDeps = opts.deps
    ? { deps: opts.deps, close: async () => undefined }
    : await buildActivityDeps(config, opts.logger, policy);
  const temporal = opts.temporal ?? loadTemporalConnection();
  const dataConverter = loadDataConverter();
  const connection = await connectTemporal(temporal, (o) => NativeConnection.connect(o));
  const liveness = temporalLiveness(temporal, dataConverter);
  // Every playbook's AWS calls pass the worker's policy; the sweeper asks Temporal before deleting.
  const deps: ActivityDeps = { ...built.deps, aws: guardAwsClients(built.deps.aws, policy), policy, workflows: liveness };
  opts.logger.info({ policy, payloadEncryption: dataConverter ? 'on' : 'off' }, 'worker blast radius');
  // The first bad input on a fresh worker is refused as fast as the next (lib/warm-up.ts).
  opts.logger.info({ ms: Math.round(warmRefusalPaths(deps)) }, 'refusal paths warmed');
  try {
    const worker = await Worker.create({
      connection,
      namespace: temporal.namespace,
      taskQueue: config.GAMEDAY_TASK_QUEUE,
      ...(opts.workflows ?? { workflowsPath: require.resolve('../workflows') }),
      ...(dataConverter ? { dataConverter } : {}),
      activities: createActivities(
        deps,
        config.GAMEDAY_RDS_CALLS_PER_SECOND !== undefined ? { rdsCallsPerSecond: config.GAMEDAY_RDS_CALLS_PER_SECOND } : {},
      ),
      maxConcurrentActivityTaskExecutions: config.GAMEDAY_MAX_CONCURRENT_ACTIVITIES,
      ...(config.GAMEDAY_MAX_ACTIVITIES_PER_SECOND !== undefined
        ? { maxTaskQueueActivitiesPerSecond: config.GAMEDAY_MAX_ACTIVITIES_PER_SECOND }
        : {}),
      shutdownGraceTime: opts.shutdownGraceTime ?? config.GAMEDAY_SHUTDOWN_GRACE_MS,
      // Heartbeats reach the server at least every second, not every 80 % of the heartbeat timeout:
      // a 5 s timeout (the canary writer's) then survives a 4 s stall of a loaded worker instead of
      // 1 s, and a cancellation reaches the activity within a second. Measured: at load 8–9 a plain
      // failover's writer timed out and a second attempt wrote beside the first.
      maxHeartbeatThrottleInterval: '1s',
      // Every activity failure and result bounded and classified in one place (issue 11).
      // (workflowModules apply to workflows built from source; a prebuilt bundle carries its own:
      // build it with `workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES`.)
      // AWS calls per run counted for every report (lib/aws-call-count.ts).
      interceptors: {
        activity: [awsCallCountInterceptors, activityBoundsInterceptors],
        workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES],
      },
    });
    // The same guarded deps (blast radius, liveness port) and failure bounds as the main worker.
    const budgetWorkers = await createBudgetWorkers(config, connection, temporal.namespace, deps, opts.logger, {
      interceptors: { activity: [awsCallCountInterceptors, activityBoundsInterceptors] },
    });
    return {
      worker,
      deps,
      ...(built.sim ? { sim: built.sim } : {}),
      run: async () => {
        try {
          await runWithBudgetWorkers(worker, budgetWorkers);
        } finally {
          await connection.close();
          await liveness.close();
          await built.close();
        }
      },
    };
  } catch (err) {
    await connection.close();
    await liveness.close();
    await built.close();
    throw err;
  }
}

/** The deps of an in-process sim (tests, the demo, dry runs): the sim is the AWS, its clock the clock. */
export function simDeps(sim: SimAws, logger: Logger, runbookDir: string = DEFAULT_RUNBOOK_DIR): ActivityDeps {
  return { aws: sim, clock: sim.world.clock, logger, runbookDir, canary: sim.canary };
}
