/**
 * The processes of the accuracy benchmark: the worker (`worker.ts` in its own node process, so it
 * can be SIGKILLed like a crashed host) and N CPU burners (busy loops) that load the machine beside
 * the runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** Settings of the benchmark's worker process. */
export interface WorkerSettings {
  readonly simUrl: string;
  readonly runbookDir: string;
  readonly taskQueue: string;
}

/** Starts `worker.ts` on the sim server (no tsx wrapper process, so SIGKILL hits the worker itself). */
export function startWorker(s: WorkerSettings): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'worker.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      GAMEDAY_AWS: 'sim',
      GAMEDAY_SIM_URL: s.simUrl,
      GAMEDAY_RUNBOOK_DIR: s.runbookDir,
      GAMEDAY_TASK_QUEUE: s.taskQueue,
      LOG_LEVEL: 'error',
      GAMEDAY_SHUTDOWN_GRACE_MS: '1000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** SIGKILLs `child` and resolves once it has exited. */
export function kill(child: ChildProcess): Promise<void> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) return res();
    child.once('exit', () => res());
    child.kill('SIGKILL');
  });
}

/** Starts `n` busy-loop processes; `stop()` kills them. */
export function startCpuBurners(n: number): { stop(): Promise<void> } {
  const burners = Array.from({ length: n }, () =>
    spawn(process.execPath, ['-e', 'for (;;) { Math.sqrt(Math.random()); }'], { stdio: 'ignore' }),
  );
  return { stop: async () => void (await Promise.all(burners.map(kill))) };
}
