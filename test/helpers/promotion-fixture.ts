/**
 * Test fixture of the promotion tests: the workflow bundle built once per test file, then per test
 * a fresh simulated AWS seeded from the runbooks and an in-process worker on a unique task queue.
 */
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities/deps';
import { createLogger } from '../../lib/logger';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../lib/workflow-interceptor-modules';
import { DEFAULT_RUNBOOK_DIR } from '../../runbooks/load';
import { createSimFromRunbookDir, type SimAws } from '../../sim';
import { connectWorker } from './worker';

let bundle: Promise<WorkflowBundle> | undefined;

/** The workflows bundle, built once per process. */
export function workflowsBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
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
  const runbookDir = opts.runbookDir ?? DEFAULT_RUNBOOK_DIR;
  const sim = createSimFromRunbookDir(runbookDir, { scale: opts.scale ?? 120 });
  const deps: ActivityDeps = {
    aws: sim,
    clock: sim.world.clock,
    logger: createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name }),
    runbookDir,
    canary: sim.canary,
  };
  const { client, taskQueue, stop } = await connectWorker(name, {
    deps,
    workflows: { workflowBundle: await workflowsBundle() },
    shutdownGraceTime: '2s',
  });
  return {
    client,
    taskQueue,
    sim,
    deps,
    shutdown: async () => {
      await stop();
      sim.close();
    },
  };
}
