/**
 * A worker whose activities can be held "mid-step": an armed activity does its real work (its
 * AWS effect happens), then waits before returning until the test releases it. A test aborts or
 * cancels the run while the step is held, so it checks what an interrupted step leaves behind.
 *
 *   const g = await startGatedWorker(w, 'rv-abort');
 *   const gate = g.arm('startPointInTimeRestore');
 *   const h = await w.client.workflow.start(restoreVerificationWorkflow, { taskQueue: g.taskQueue, ... });
 *   await gate.reached; await h.signal(abortSignal, …); gate.release();
 */
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker, type ActivityInboundCallsInterceptor, type ActivityInterceptorsFactory } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { awsCallCountInterceptors } from '../../lib/aws-call-count-interceptor';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../lib/workflow-interceptor-modules';
import { runBudgetWorkers, type TestWorker } from './worker';

/** One armed activity: `reached` resolves once its real work is done; `release` lets it return. */
export interface Gate {
  readonly reached: Promise<void>;
  release(): void;
}

/** A running gated worker on its own task queue, sharing the test worker's sim. */
export interface GatedWorker {
  readonly taskQueue: string;
  /** Holds the next call of `activity` after its real work, until released. */
  arm(activity: string): Gate;
  /** Releases every held activity, stops the worker and closes its connection. */
  stop(): Promise<void>;
}

/** Armed activities held by an activity interceptor, for any worker that installs `interceptors`. */
export interface ActivityGates {
  readonly interceptors: { readonly activity: ActivityInterceptorsFactory[] };
  /** Holds the next call of `activity` after its real work, until released. */
  arm(activity: string): Gate;
  /** Releases every held activity. */
  releaseAll(): void;
}

/** Gates for activities by type name: an armed activity does its real work, then waits to be released. */
export function activityGates(): ActivityGates {
  const armed = new Map<string, { reached: () => void; released: Promise<void> }>();
  const releases: (() => void)[] = [];
  const gate: ActivityInterceptorsFactory = (ctx) => {
    const inbound: ActivityInboundCallsInterceptor = {
      async execute(input, next) {
        const result = await next(input);
        const held = armed.get(ctx.info.activityType);
        if (held) {
          armed.delete(ctx.info.activityType);
          held.reached();
          await held.released;
        }
        return result;
      },
    };
    return { inbound };
  };
  return {
    // The worker's own AWS call counting (composeWorker installs it too), then the gate.
    interceptors: { activity: [awsCallCountInterceptors, gate] },
    arm(activity) {
      let reached!: () => void;
      let release!: () => void;
      const reachedP = new Promise<void>((r) => (reached = r));
      const released = new Promise<void>((r) => (release = r));
      releases.push(release);
      armed.set(activity, { reached, released });
      return { reached: reachedP, release };
    },
    releaseAll: () => releases.forEach((r) => r()),
  };
}

/**
 * Starts a worker on `test-<name>-<random>` with the test worker's deps and gated activities, and
 * the budget-queue workers of that task queue (a drill's AWS steps run there) gated the same way.
 */
export async function startGatedWorker(w: TestWorker, name: string): Promise<GatedWorker> {
  const gates = activityGates();
  const { interceptors } = gates;
  const taskQueue = `test-${name}-${randomUUID().slice(0, 8)}`;
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve('../../workflows'),
    activities: createActivities(w.deps),
    interceptors: { ...interceptors, workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES] },
    shutdownGraceTime: '5s',
  });
  const stopBudget = await runBudgetWorkers(connection, taskQueue, w.deps, { interceptors });
  const running = worker.run();
  return {
    taskQueue,
    arm: gates.arm,
    async stop() {
      gates.releaseAll();
      worker.shutdown();
      await Promise.all([running, stopBudget()]);
      await connection.close();
    },
  };
}
