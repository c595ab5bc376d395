/**
 * Real PostgreSQL 15 and MariaDB servers for the canary tests, each in a temp dir on a free
 * loopback port, with a password-protected `canary` user and database (credentials handed to the
 * connector through a test `SecretsApi`). Works as root (PostgreSQL then runs as the `postgres`
 * user, MariaDB with `--user=root`) and as a normal user. `stop()`/`start()` simulate the writer
 * going away and coming back; `destroy()` stops and removes everything.
 *
 * Needs the Debian packages `postgresql` (binaries in /usr/lib/postgresql/15/bin) and
 * `mariadb-server`, installed by `scripts/setup.sh`.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import type { DbCredentials, SecretsApi } from '../../activities/aws/ports';
import { freePort } from './net';

/** A running test database server. */
export interface TestDatabase {
  readonly engine: 'postgres' | 'mysql';
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly database: string;
  readonly credentials: DbCredentials;
  /** Stops the server (fast shutdown) and waits until it is down. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir; resolves when it accepts connections. */
  start(): Promise<void>;
  /** Runs one SQL statement as the canary user (test assertions, simulated data loss). */
  exec(sql: string, params?: unknown[]): Promise<unknown[]>;
  /** Stops the server and removes its temp dir. */
  destroy(): Promise<void>;
}

/** Thrown when a database server cannot be set up. */
export class TestDatabaseError extends Error {
  override readonly name = 'TestDatabaseError';
}

const PG_BIN = '/usr/lib/postgresql/15/bin';
const PASSWORD = 'canary-test-pw';

function run(cmd: string, args: string[], opts: { uid?: number; gid?: number; cwd?: string } = {}): Promise<string> {
  return new Promise((res, rej) => {
    execFile(cmd, args, { ...opts, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) rej(new TestDatabaseError(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else res(stdout);
    });
  });
}

async function waitFor(what: string, probe: () => Promise<void>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new TestDatabaseError(`${what} not ready within ${timeoutMs} ms: ${String(last)}`);
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** A `SecretsApi` that answers the test databases' credentials (test configuration). */
export function testSecrets(byArn: Readonly<Record<string, DbCredentials>>): SecretsApi {
  return {
    async getDbCredentials(arn: string) {
      const c = byArn[arn];
      if (!c)
        throw Object.assign(new Error(`Secrets Manager can't find the specified secret ${arn}`), { name: 'ResourceNotFoundException' });
      return c;
    },
  };
}

/** Starts PostgreSQL 15 in a temp dir (as `postgres` when running as root). */
export async function startPostgres(): Promise<TestDatabase> {
  if (!existsSync(join(PG_BIN, 'initdb')))
    throw new TestDatabaseError(`PostgreSQL binaries missing in ${PG_BIN}; run scripts/setup.sh (apt package postgresql)`);
  const dir = mkdtempSync(join(tmpdir(), 'gameday-pg-'));
  const data = join(dir, 'data');
  const owner = isRoot()
    ? {
        uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
        gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
      }
    : {};
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, PASSWORD);
  chmodSync(pwfile, 0o600);
  if (owner.uid !== undefined) {
    chownSync(dir, owner.uid, owner.gid!);
    chownSync(pwfile, owner.uid, owner.gid!);
  }
  const port = await freePort();
  await run(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'canary', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-sync'], {
    ...owner,
    cwd: dir,
  });
  const pgctl = (args: string[]): Promise<string> => run(join(PG_BIN, 'pg_ctl'), ['-D', data, ...args], { ...owner, cwd: dir });
  const credentials = { username: 'canary', password: PASSWORD };
  const exec = async (sql: string, params: unknown[] = []): Promise<unknown[]> => {
    const c = new Client({
      host: '127.0.0.1',
      port,
      user: 'canary',
      password: PASSWORD,
      database: 'postgres',
      connectionTimeoutMillis: 2000,
    });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows;
    } finally {
      await c.end();
    }
  };
  const start = async (): Promise<void> => {
    await pgctl(['-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    await waitFor('postgres', async () => void (await exec('SELECT 1')));
  };
  const stop = async (): Promise<void> => void (await pgctl(['-m', 'fast', '-w', 'stop']));
  await start();
  let running = true;
  return {
    engine: 'postgres',
    host: '127.0.0.1',
    port,
    database: 'postgres',
    credentials,
    exec,
    async start() {
      await start();
      running = true;
    },
    async stop() {
      await stop();
      running = false;
    },
    async destroy() {
      if (running) await stop().catch(() => undefined); // best effort: the dir is removed next
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function findMariadbd(): string {
  for (const p of ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/bin/mariadbd']) if (existsSync(p)) return p;
  throw new TestDatabaseError('mariadbd not found; run scripts/setup.sh (apt package mariadb-server)');
}

/** Starts MariaDB in a temp dir (with `--user=root` when running as root). */
export async function startMariadb(): Promise<TestDatabase> {
  const mariadbd = findMariadbd();
  const dir = mkdtempSync(join(tmpdir(), 'gameday-maria-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const user = isRoot() ? 'root' : execFileSync('id', ['-un']).toString().trim();
  const port = await freePort();
  await run(
    'mariadb-install-db',
    ['--no-defaults', `--datadir=${data}`, `--user=${user}`, '--auth-root-authentication-method=normal', '--skip-test-db'],
    { cwd: dir },
  );
  let child: ChildProcess | undefined;
  const credentials = { username: 'canary', password: PASSWORD };
  const connectAsCanary = () =>
    createConnection({ host: '127.0.0.1', port, user: 'canary', password: PASSWORD, database: 'canary', connectTimeout: 2000 });
  const start = async (): Promise<void> => {
    const proc = spawn(
      mariadbd,
      [
        '--no-defaults',
        `--datadir=${data}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${socket}`,
        `--pid-file=${join(dir, 'mysqld.pid')}`,
        `--user=${user}`,
        '--skip-log-bin',
        '--skip-name-resolve',
        '--innodb-flush-log-at-trx-commit=2',
        '--innodb-buffer-pool-size=32M',
        `--log-error=${join(dir, 'error.log')}`,
      ],
      { stdio: 'ignore' },
    );
    child = proc;
    await waitFor('mariadb', async () => {
      if (proc.exitCode !== null) throw new TestDatabaseError(`mariadbd exited with ${proc.exitCode}; see ${join(dir, 'error.log')}`);
      if (!existsSync(socket)) throw new Error('no socket yet');
    });
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((res) => {
      proc.once('exit', () => res());
      proc.kill('SIGTERM');
    });
  };
  await start();
  // First start: create the canary user and database through the root socket.
  await waitFor('mariadb root', async () => {
    const root = await createConnection({ socketPath: socket, user: 'root', connectTimeout: 2000 });
    try {
      await root.query('CREATE DATABASE IF NOT EXISTS canary');
      await root.query(`CREATE USER IF NOT EXISTS 'canary'@'%' IDENTIFIED BY '${PASSWORD}'`);
      await root.query(`CREATE USER IF NOT EXISTS 'canary'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'`);
      await root.query("GRANT ALL ON canary.* TO 'canary'@'%'");
      await root.query("GRANT ALL ON canary.* TO 'canary'@'127.0.0.1'");
    } finally {
      await root.end();
    }
  });
  await waitFor('mariadb canary user', async () => void (await (await connectAsCanary()).end()));
  return {
    engine: 'mysql',
    host: '127.0.0.1',
    port,
    database: 'canary',
    credentials,
    async exec(sql, params = []) {
      const c = await connectAsCanary();
      try {
        const [rows] = await c.query(sql, params);
        return Array.isArray(rows) ? rows : [rows];
      } finally {
        await c.end();
      }
    },
    start: async () => {
      await start();
      await waitFor('mariadb canary user', async () => void (await (await connectAsCanary()).end()));
    },
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Names of leftover temp dirs of this helper (for debugging a crashed run). */
export function leftoverDirs(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('gameday-pg-') || n.startsWith('gameday-maria-'));
}
