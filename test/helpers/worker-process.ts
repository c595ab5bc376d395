/**
 * `worker.ts` in its own node process against a sim behind its HTTP server, for tests that kill
 * the worker: the sim lives in the test process, so its state and ground-truth log survive a kill.
 * `node --import tsx`, not the tsx CLI, so a signal reaches the worker itself (the CLI is a
 * wrapper process that relays signals and SIGKILLs a child that is slow to acknowledge one).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const ROOT = resolve(__dirname, '../..');

/** Worker processes started by one test file, to kill in its `afterAll`. */
export class WorkerProcesses {
  private readonly children: ChildProcess[] = [];

  constructor(
    /** The task queue every worker of this file polls. */
    readonly taskQueue: string,
  ) {}

  /** Starts a worker on the sim at `simUrl` (sim AWS, LOG_LEVEL warn, a 1 s shutdown grace). */
  start(simUrl: string): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        GAMEDAY_AWS: 'sim',
        GAMEDAY_SIM_URL: simUrl,
        GAMEDAY_TASK_QUEUE: this.taskQueue,
        LOG_LEVEL: 'warn',
        GAMEDAY_SHUTDOWN_GRACE_MS: '1000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.children.push(child);
    return child;
  }

  /** SIGKILLs every worker started so far and forgets them. */
  async killAll(): Promise<void> {
    await Promise.all(this.children.splice(0).map(killed));
  }
}

/** SIGKILLs `child` (unless it already exited) and resolves once it has exited. */
export function killed(child: ChildProcess): Promise<void> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) return res();
    child.once('exit', () => res());
    child.kill('SIGKILL');
  });
}

/** Polls `read` every 25 ms until it gives a value (errors count as "not yet"); throws after `timeoutMs`. */
export async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await read().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Resolves once activity `type` is running (started on a worker) in the workflow. */
export function running(h: WorkflowHandle, type: string): Promise<true> {
  return waitFor(`${type} started`, async () => {
    const d = await h.describe();
    const started = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
    return d.raw.pendingActivities?.some((a) => a.activityType?.name === type && a.state === started) ? true : undefined;
  });
}
