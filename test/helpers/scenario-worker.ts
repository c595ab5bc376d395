/**
 * Test fixture of the scenario tests: one workflow bundle shared by every case, and per case a
 * fresh in-process sim (seeded from the runbooks) with a worker on its own task queue whose
 * activities can be held after their real work (`arm`), so a test aborts or cancels a run while a
 * given step is in flight and checks what the interrupted step left behind.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { simDeps } from '../../lib/composition-root';
import { createLogger } from '../../lib/logger';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../lib/workflow-interceptor-modules';
import { loadTemporalConnection } from '../../lib/temporal-connection';
import { DEFAULT_RUNBOOK_DIR } from '../../runbooks/load';
import { createSimFromRunbookDir, type SimAws } from '../../sim';
import { activityGates, type Gate } from './gated-worker';

/** A fresh sim and a worker on it. */
export interface ScenarioWorker {
  readonly sim: SimAws;
  readonly client: Client;
  readonly taskQueue: string;
  /** Holds the next call of `activity` after its real work, until released. */
  arm(activity: string): Gate;
  stop(): Promise<void>;
}

let bundle: WorkflowBundleWithSourceMap | undefined;

/** The workflow bundle, built once per test file. */
export async function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
  });
  return bundle;
}

/** Starts a fresh sim (scale `scale`) and a worker on `test-<name>-<random>`. */
export async function startScenarioWorker(name: string, scale = 60): Promise<ScenarioWorker> {
  const sim = createSimFromRunbookDir(DEFAULT_RUNBOOK_DIR, { scale });
  const deps = simDeps(sim, createLogger({ level: 'warn', name: `test-${name}` }));
  const gates = activityGates();
  const temporal = loadTemporalConnection();
  const taskQueue = `test-${name}-${randomUUID().slice(0, 8)}`;
  const native = await NativeConnection.connect(temporal.options);
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities(deps),
    interceptors: gates.interceptors,
    shutdownGraceTime: '5s',
  });
  const running = worker.run();
  const connection = await Connection.connect(temporal.options);
  const client = new Client({ connection, namespace: temporal.namespace });
  return {
    sim,
    client,
    taskQueue,
    arm: gates.arm,
    async stop() {
      gates.releaseAll();
      worker.shutdown();
      await running;
      await native.close();
      await connection.close();
      sim.close();
    },
  };
}
