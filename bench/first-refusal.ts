/**
 * Benchmark: the first refusal of bad workflow input on a FRESH worker process (issue 11, "under
 * 2 s"), against the next one on the same worker. Each sample is a new process
 * (`bench/first-refusal-child.ts`) that composes a worker with `lib/composition-root.ts` (sim AWS,
 * the default policy: inline runbook YAML off; workflows from a bundle built once here), waits
 * until it polls, then starts a restore verification with inline runbook YAML and times, by the
 * wall clock of that process, start → the run's failure: first, then second.
 *
 * With `GAMEDAY_BENCH_CLI_BASELINE=<dir>` (another checkout with its node_modules) each sample is
 * also taken there, interleaved, with the same bundle-per-checkout approach.
 *
 * `npm run bench -- first-refusal`, or standalone `npx tsx bench/first-refusal.ts [runs]`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { ensureDevServer } from '../scripts/temporal-dev';

const ROOT = resolve(__dirname, '..');
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One child's measurement. */
interface Sample {
  readonly firstMs: number;
  readonly secondMs: number;
  readonly type: string;
  /** From the worker's RUNNING state until the server listed its workflow poller. */
  readonly pollerWaitMs: number;
  /** The first run's time by the server's event times (see the child). */
  readonly firstSplit: Record<string, number>;
}

function child(root: string, bundleFile: string, address: string): Promise<Sample> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/first-refusal-child.ts'), root, bundleFile], {
      cwd: root,
      env: { ...process.env, TEMPORAL_ADDRESS: address, GAMEDAY_AWS: 'sim', LOG_LEVEL: 'warn', GAMEDAY_ALLOW_INLINE_RUNBOOKS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-3000)));
    p.once('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        done(JSON.parse(line) as Sample);
      } catch (e) {
        void e;
        fail(new Error(`child exited ${code} without a result: ${err}`));
      }
    });
  });
}

/** Runs the benchmark and prints its table; resolves true when every run was refused. */
export async function runFirstRefusalBench(opts: { runs?: number; baseline?: string; print?: (l: string) => void } = {}): Promise<boolean> {
  const runs = opts.runs ?? Number(process.env.GAMEDAY_BENCH_FIRST_REFUSAL_RUNS ?? 10);
  const baseline = opts.baseline ?? process.env.GAMEDAY_BENCH_CLI_BASELINE;
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const server = await ensureDevServer();
  const dir = mkdtempSync(join(tmpdir(), 'gameday-bench-first-'));
  const roots = [...(baseline ? [{ label: 'baseline', cwd: resolve(baseline) }] : []), { label: 'this checkout', cwd: ROOT }];
  try {
    const bundles = new Map<string, string>();
    for (const r of roots) {
      const file = join(dir, `${r.label.replace(/\W/g, '-')}.js`);
      const { code } = await bundleWorkflowCode({ workflowsPath: join(r.cwd, 'workflows'), logger: new DefaultLogger('ERROR') });
      writeFileSync(file, code);
      bundles.set(r.label, file);
    }
    const load0 = loadavg()[0]!;
    const samples = new Map<string, Sample[]>(roots.map((r) => [r.label, []]));
    for (let i = 0; i < runs; i++)
      for (const r of roots) samples.get(r.label)!.push(await child(r.cwd, bundles.get(r.label)!, server.address));
    const load1 = loadavg()[0]!;
    print(`First refusal of inline runbook YAML on a fresh worker process (${runs} processes per checkout), wall ms, start → run failed`);
    print(
      ['checkout', 'first: median', 'first: max', 'second: median', 'second: max', 'failure type', 'load 1 min (before → after)'].join(
        ' | ',
      ),
    );
    let ok = true;
    for (const r of roots) {
      const xs = samples.get(r.label)!;
      ok &&= xs.every((x) => x.type === 'RunbookValidationError');
      print(
        [
          r.label,
          median(xs.map((x) => x.firstMs)).toFixed(0),
          Math.max(...xs.map((x) => x.firstMs)).toFixed(0),
          median(xs.map((x) => x.secondMs)).toFixed(0),
          Math.max(...xs.map((x) => x.secondMs)).toFixed(0),
          [...new Set(xs.map((x) => x.type))].join(', '),
          `${load0.toFixed(2)} → ${load1.toFixed(2)}`,
        ].join(' | '),
      );
    }
    print('');
    print('Where the first refusal went (server event times, ms, median over processes):');
    for (const r of roots) {
      const xs = samples.get(r.label)!;
      const keys = Object.keys(xs[0]?.firstSplit ?? {});
      const parts = keys.map((k) => `${k} ${median(xs.map((x) => x.firstSplit[k] ?? NaN)).toFixed(0)}`);
      print(
        `${r.label}: worker RUNNING → server lists its poller ${median(xs.map((x) => x.pollerWaitMs)).toFixed(0)}; ${parts.join(', ')}`,
      );
    }
    return ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}

if (require.main === module) {
  const [runs] = process.argv.slice(2).map(Number);
  runFirstRefusalBench(runs ? { runs } : {}).then(
    (ok) => process.exit(ok ? 0 : 1),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
