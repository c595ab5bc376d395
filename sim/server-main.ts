/**
 * `npm run sim`: a simulated AWS seeded from every runbook in GAMEDAY_RUNBOOK_DIR (default
 * `runbooks/`), served over HTTP so workers can restart without losing the simulated world.
 * Env: GAMEDAY_SIM_SCALE (simulated ms per wall ms, default 60), GAMEDAY_SIM_PORT (default 4566),
 * GAMEDAY_SIM_HOST (default 127.0.0.1), GAMEDAY_SIM_THROTTLE_PER_SECOND (throttle an account above this
 * many calls in a wall second, like AWS; default none). Prints the URL to stdout; point workers at it with
 * GAMEDAY_SIM_URL.
 */
import { DEFAULT_RUNBOOK_DIR } from '../runbooks/load';
import { createSimFromRunbookDir } from './index';
import { startSimServer } from './server';

function numberFromEnv(name: string, fallback: number, check: (n: number) => boolean, expected: string): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!check(n)) throw new Error(`${name}=${raw}: expected ${expected}`);
  return n;
}

async function main(): Promise<void> {
  const dir = process.env.GAMEDAY_RUNBOOK_DIR || DEFAULT_RUNBOOK_DIR;
  const scale = numberFromEnv('GAMEDAY_SIM_SCALE', 60, (n) => Number.isFinite(n) && n > 0, 'a positive number such as 60');
  const port = numberFromEnv('GAMEDAY_SIM_PORT', 4566, (n) => Number.isInteger(n) && n >= 0 && n < 65536, 'a TCP port such as 4566');
  const limit = process.env.GAMEDAY_SIM_THROTTLE_PER_SECOND;
  const accountCallsPerSecond =
    limit === undefined || limit === ''
      ? undefined
      : numberFromEnv('GAMEDAY_SIM_THROTTLE_PER_SECOND', 0, (n) => Number.isFinite(n) && n > 0, 'a positive number of calls per second');
  const sim = createSimFromRunbookDir(dir, {
    scale,
    absorbStalls: false,
    ...(accountCallsPerSecond !== undefined ? { accountCallsPerSecond } : {}),
  });
  const server = await startSimServer({ sim, port, host: process.env.GAMEDAY_SIM_HOST || '127.0.0.1' });
  process.stdout.write(`${server.url}\n`);
  process.stderr.write(`gameday sim: scale ${scale}x, runbooks from ${dir}; set GAMEDAY_SIM_URL=${server.url}\n`);
  const stop = (): void => {
    server.close().then(
      () => {
        sim.close();
        process.exit(0);
      },
      (e: unknown) => {
        process.stderr.write(`gameday sim: close failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`gameday sim: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
