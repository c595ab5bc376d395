/**
 * Benchmark: how long a spawned `gameday` takes to refuse bad input (issue 11, "under 2 s").
 * Spawns `node bin/gameday.js …` for each case of the hostile-input test's spawned subset, `runs`
 * times per case, by the wall clock of this process (`performance.now()`, spawn → exit), checks
 * each exits 2, and prints per case the median and max with the 1-minute load average before and
 * after. Two reference rows show the floor: bare `node` and `node` with `tsx/cjs` registered.
 *
 * With `GAMEDAY_BENCH_CLI_BASELINE=<dir>` (another checkout of gameday with its node_modules, e.g.
 * a `git worktree` of an older commit) every case also runs there, spawn for spawn interleaved with
 * this checkout, so both see the same load.
 *
 * `npm run bench -- cli`, or standalone `npx tsx bench/cli-refusal.ts [runs]`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureDevServer } from '../scripts/temporal-dev';

/** Options of the CLI refusal benchmark. */
export interface CliRefusalOptions {
  /** Spawns per case and checkout. @default 20 (GAMEDAY_BENCH_CLI_RUNS) */
  readonly runs?: number;
  /** Another checkout measured interleaved as the baseline. @default GAMEDAY_BENCH_CLI_BASELINE */
  readonly baseline?: string;
  readonly print?: (line: string) => void;
}

/** One timed spawn. */
interface Spawned {
  readonly ms: number;
  readonly code: number | null;
  readonly stderr: string;
}

const ROOT = resolve(__dirname, '..');

function timedSpawn(args: readonly string[], cwd: string): Promise<Spawned> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
    child.once('error', fail);
    child.once('close', (code) => done({ ms: performance.now() - t0, code, stderr }));
  });
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The spawned cases: name, CLI arguments (after `bin/gameday.js`), and whether exit 2 is expected. */
function cases(address: string, bomb: string): { name: string; args: string[]; refusal: boolean }[] {
  const cli = (...a: string[]): string[] => ['bin/gameday.js', '--address', address, ...a];
  return [
    { name: 'node (no script)', args: ['-e', '0'], refusal: false },
    { name: 'node + tsx/cjs registered', args: ['-e', "require('tsx/cjs')"], refusal: false },
    { name: 'unknown option (status --bogus)', args: cli('status', 'x', '--bogus'), refusal: true },
    {
      name: 'empty --id (run az-loss)',
      args: cli('run', 'az-loss', '--runbook', 'payments-prod', '--az', 'us-east-1a', '--id', ''),
      refusal: true,
    },
    { name: 'validate /dev/zero + a good file', args: cli('validate', '/dev/zero', 'runbooks/orders-prod.yaml'), refusal: true },
    { name: 'validate an alias bomb', args: cli('validate', bomb), refusal: true },
    {
      name: 'promote-region --runbook <directory>',
      args: cli('promote-region', '--runbook', '/tmp/', '--to', 'us-west-2', '--mode', 'switchover', '--yes'),
      refusal: true,
    },
    { name: 'unknown namespace (asks the server)', args: cli('--namespace', 'no-such-namespace-x', 'status', 'some-run'), refusal: true },
  ];
}

/** Runs the benchmark and prints its table; resolves true when every refusal exited 2. */
export async function runCliRefusalBench(opts: CliRefusalOptions = {}): Promise<boolean> {
  const runs = opts.runs ?? Number(process.env.GAMEDAY_BENCH_CLI_RUNS ?? 20);
  const baseline = opts.baseline ?? process.env.GAMEDAY_BENCH_CLI_BASELINE;
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const server = await ensureDevServer();
  const dir = mkdtempSync(join(tmpdir(), 'gameday-bench-cli-'));
  const bomb = join(dir, 'bomb.yaml');
  writeFileSync(bomb, 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n');
  const roots = [...(baseline ? [{ label: 'baseline', cwd: resolve(baseline) }] : []), { label: 'this checkout', cwd: ROOT }];
  let ok = true;
  try {
    print(
      `Spawned CLI refusals: ${runs} spawns per case${baseline ? ' and checkout (interleaved)' : ''}, wall clock of the parent (spawn → exit), ms`,
    );
    print(['case', 'checkout', 'median ms', 'max ms', 'exit 2', 'load 1 min (before → after)'].join(' | '));
    for (const c of cases(server.address, bomb)) {
      const load0 = loadavg()[0]!;
      const mine = c.refusal ? roots : roots.slice(-1); // the reference rows do not depend on the checkout
      const times = new Map<string, Spawned[]>(mine.map((r) => [r.label, []]));
      for (let i = 0; i < runs; i++) for (const r of mine) times.get(r.label)!.push(await timedSpawn(c.args, r.cwd));
      const load1 = loadavg()[0]!;
      for (const r of mine) {
        const xs = times.get(r.label)!;
        const exit2 = xs.filter((x) => x.code === 2).length;
        if (c.refusal && exit2 !== xs.length) {
          ok = false;
          print(`  ${c.name} (${r.label}): exit ${xs.find((x) => x.code !== 2)?.code}: ${xs.find((x) => x.code !== 2)?.stderr.trim()}`);
        }
        const ms = xs.map((x) => x.ms);
        print(
          [
            c.name,
            r.label,
            median(ms).toFixed(0),
            Math.max(...ms).toFixed(0),
            c.refusal ? `${exit2}/${xs.length}` : 'n/a',
            `${load0.toFixed(2)} → ${load1.toFixed(2)}`,
          ].join(' | '),
        );
      }
    }
    return ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}

if (require.main === module) {
  const [runs] = process.argv.slice(2).map(Number);
  runCliRefusalBench(runs ? { runs } : {}).then(
    (ok) => process.exit(ok ? 0 : 1),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
