/**
 * Test fixture of the promotion tests: the workflow bundle built once per test file, then per test
 * a fresh simulated AWS seeded from the runbooks and an in-process worker on a unique task queue.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { ActivityDeps } from '../../activities/deps';
import { createLogger } from '../../lib/logger';
import { DEFAULT_RUNBOOK_DIR } from '../../runbooks/load';
import { createSimFromRunbookDir, type SimAws } from '../../sim';

let bundle: Promise<WorkflowBundle> | undefined;

/** The workflows bundle, built once per process. */
export function workflowsBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } });
  return bundle;
}

/** A running worker, its client and its sim. */
export interface PromotionHarness {
  readonly client: Client;
  readonly taskQueue: string;
  readonly sim: SimAws;
  readonly deps: ActivityDeps;
  shutdown(): Promise<void>;
}

/** Starts a worker over a fresh sim (scale: simulated ms per wall ms). */
export async function startPromotionHarness(name: string, opts: { scale?: number; runbookDir?: string } = {}): Promise<PromotionHarness> {
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const taskQueue = `test-${name}-${randomUUID().slice(0, 8)}`;
  const runbookDir = opts.runbookDir ?? DEFAULT_RUNBOOK_DIR;
  const sim = createSimFromRunbookDir(runbookDir, { scale: opts.scale ?? 120 });
  const deps: ActivityDeps = { aws: sim, clock: sim.world.clock, logger: createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name }), runbookDir, canary: sim.canary };
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue,
    workflowBundle: await workflowsBundle(),
    activities: createActivities(deps),
    shutdownGraceTime: '2s',
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  return {
    client,
    taskQueue,
    sim,
    deps,
    shutdown: async () => {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      sim.close();
    },
  };
}
