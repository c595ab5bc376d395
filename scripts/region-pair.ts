/**
 * Starts and stops a real "region pair" on this machine (sim/real/): a PostgreSQL primary with a
 * streaming standby, or a MariaDB primary with a binlog replica, the replication link through a
 * delaying TCP proxy (real lag) and a writer endpoint proxy. The pair lives in a background process
 * (it holds the proxies); its ports are in `.region-pair/<engine>.json`.
 *
 *   tsx scripts/region-pair.ts start [--engine postgres|mariadb] [--lag-ms 2000]
 *   tsx scripts/region-pair.ts stop [--engine postgres|mariadb]
 *   tsx scripts/region-pair.ts status [--engine postgres|mariadb]
 *
 * Needs the Debian packages `postgresql` and `mariadb-server` (scripts/setup.sh); runs PostgreSQL
 * as the `postgres` user when started as root. Nothing is downloaded at run time.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startMariadbRegionPair } from '../sim/real/mariadb-pair';
import { startPgRegionPair } from '../sim/real/pg-pair';
import type { RegionPair } from '../sim/real/region-pair';

const ROOT = resolve(__dirname, '..');
const STATE_DIR = join(ROOT, '.region-pair');

/** What `start` writes for the pair's users (no credentials: they are the local pair's fixed test ones). */
export interface RegionPairState {
  readonly engine: 'postgres' | 'mariadb';
  readonly pid: number;
  readonly lagMs: number;
  readonly writerEndpoint: { readonly host: string; readonly port: number };
  readonly primary: { readonly host: string; readonly port: number };
  readonly standby: { readonly host: string; readonly port: number };
  readonly database: string;
  readonly user: string;
}

/** Command-line options of this script. */
interface Args {
  readonly command: 'start' | 'stop' | 'status' | 'serve';
  readonly engine: 'postgres' | 'mariadb';
  readonly lagMs: number;
}

/** Bad command line: exit 2 with the message. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

function parseArgs(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'start' && command !== 'stop' && command !== 'status' && command !== 'serve')
    throw new UsageError(`command must be start, stop or status (got "${command ?? ''}")`);
  let engine: Args['engine'] = 'postgres';
  let lagMs = 2000;
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (flag === '--engine') {
      if (value !== 'postgres' && value !== 'mariadb') throw new UsageError(`--engine must be postgres or mariadb (got "${value ?? ''}")`);
      engine = value;
    } else if (flag === '--lag-ms') {
      lagMs = Number(value);
      if (!Number.isFinite(lagMs) || lagMs < 0)
        throw new UsageError(`--lag-ms must be a number of milliseconds ≥ 0 (got "${value ?? ''}")`);
    } else throw new UsageError(`unknown option "${flag}"; options: --engine postgres|mariadb, --lag-ms <ms>`);
  }
  return { command, engine, lagMs };
}

const stateFile = (engine: string): string => join(STATE_DIR, `${engine}.json`);

function readState(engine: string): RegionPairState | undefined {
  if (!existsSync(stateFile(engine))) return undefined;
  const s = JSON.parse(readFileSync(stateFile(engine), 'utf8')) as RegionPairState;
  try {
    process.kill(s.pid, 0);
    return s;
  } catch {
    rmSync(stateFile(engine), { force: true }); // its process is gone: stale
    return undefined;
  }
}

/** Foreground: holds the pair until SIGTERM/SIGINT, then stops it and removes the state file. */
async function serve(a: Args): Promise<void> {
  const pair: RegionPair =
    a.engine === 'postgres' ? await startPgRegionPair({ lagMs: a.lagMs }) : await startMariadbRegionPair({ lagMs: a.lagMs });
  const m = pair.members();
  const state: RegionPairState = {
    engine: a.engine,
    pid: process.pid,
    lagMs: a.lagMs,
    writerEndpoint: pair.writerEndpoint,
    primary: m.primary,
    standby: m.standby,
    database: pair.database,
    user: pair.credentials.username,
  };
  writeFileSync(stateFile(a.engine), `${JSON.stringify(state, null, 2)}\n`);
  const shutdown = (): void => {
    pair
      .destroy()
      .finally(() => {
        rmSync(stateFile(a.engine), { force: true });
        process.exit(0);
      })
      .catch(() => undefined);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  setInterval(() => undefined, 1 << 30); // stay alive: the proxies live in this process
}

async function start(a: Args): Promise<void> {
  const running = readState(a.engine);
  if (running) {
    process.stdout.write(`${JSON.stringify(running, null, 2)}\n`);
    process.stderr.write(`[region-pair] ${a.engine} pair already running (pid ${running.pid})\n`);
    return;
  }
  mkdirSync(STATE_DIR, { recursive: true });
  const log = openSync(join(STATE_DIR, `${a.engine}.log`), 'a');
  const child = spawn(process.execPath, [...process.execArgv, __filename, 'serve', '--engine', a.engine, '--lag-ms', String(a.lagMs)], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const s = readState(a.engine);
    if (s) {
      process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      return;
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the ${a.engine} pair did not start; see ${join(STATE_DIR, `${a.engine}.log`)}`);
}

async function stop(a: Args): Promise<void> {
  const s = readState(a.engine);
  if (!s) {
    process.stderr.write(`[region-pair] no ${a.engine} pair running\n`);
    return;
  }
  process.kill(s.pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (readState(a.engine) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (readState(a.engine)) throw new Error(`the ${a.engine} pair (pid ${s.pid}) did not stop within 60 s`);
  process.stderr.write(`[region-pair] ${a.engine} pair stopped\n`);
}

async function main(): Promise<void> {
  let a: Args;
  try {
    a = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  if (a.command === 'serve') return serve(a);
  if (a.command === 'start') return start(a);
  if (a.command === 'stop') return stop(a);
  const s = readState(a.engine);
  process.stdout.write(s ? `${JSON.stringify(s, null, 2)}\n` : `no ${a.engine} pair running\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`[region-pair] ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
