/**
 * One MariaDB server of the real region pair: its own data dir, port, socket and server id, binary
 * log on, started as a child process (as root with `--user=root`), stopped hard (SIGKILL: a lost
 * region) or cleanly (SIGTERM). Administered as root over its socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { RegionPairError, run, waitFor } from './host-process';

/** Path of `mariadbd`; throws naming the fix when it is missing. */
export function findMariadbd(): string {
  for (const p of ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/bin/mariadbd']) if (existsSync(p)) return p;
  throw new RegionPairError('mariadbd not found; run scripts/setup.sh (apt package mariadb-server)');
}

/** A MariaDB server on 127.0.0.1:`port` (see the module doc). */
export class MariadbServer {
  private child: ChildProcess | undefined;

  constructor(
    readonly name: string,
    readonly port: number,
    readonly serverId: number,
    private readonly dir: string,
    private readonly user: string,
  ) {}

  get dataDir(): string {
    return join(this.dir, `${this.name}-data`);
  }

  private get socket(): string {
    return join(this.dir, `${this.name}.sock`);
  }

  /** Whether its process runs. */
  get isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null;
  }

  /** Creates the data dir (system tables). */
  async install(): Promise<void> {
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${this.dataDir}`,
      `--user=${this.user}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
  }

  /** Starts it; resolves once root can connect over the socket. `readOnly` for a replica. */
  async start(readOnly: boolean): Promise<void> {
    const proc = spawn(
      findMariadbd(),
      [
        '--no-defaults',
        `--datadir=${this.dataDir}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${this.socket}`,
        `--pid-file=${join(this.dir, `${this.name}.pid`)}`,
        `--user=${this.user}`,
        `--server-id=${this.serverId}`,
        `--log-bin=${join(this.dataDir, 'binlog')}`,
        '--binlog-format=ROW',
        '--skip-name-resolve',
        // No OS crash is modelled: a killed process keeps what it wrote to the OS.
        '--innodb-flush-log-at-trx-commit=2',
        '--innodb-buffer-pool-size=32M',
        `--read-only=${readOnly ? 1 : 0}`,
        '--skip-slave-start',
        `--log-error=${join(this.dir, `${this.name}.err`)}`,
      ],
      { stdio: 'ignore' },
    );
    this.child = proc;
    await waitFor(`mariadb ${this.name}`, async () => {
      if (proc.exitCode !== null)
        throw new RegionPairError(`mariadbd exited with ${proc.exitCode}; see ${join(this.dir, `${this.name}.err`)}`);
      await this.admin('SELECT 1');
    });
  }

  /** Stops it: `hard` is SIGKILL (a lost region), else a clean SIGTERM shutdown. */
  async stop(hard: boolean): Promise<void> {
    const proc = this.child;
    this.child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((res) => {
      proc.once('exit', () => res());
      proc.kill(hard ? 'SIGKILL' : 'SIGTERM');
    });
  }

  /** Runs statements as root over the socket; returns the rows of the last. */
  async admin(...sqls: string[]): Promise<RowDataPacket[]> {
    const c: Connection = await createConnection({
      socketPath: this.socket,
      user: 'root',
      connectTimeout: 3000,
      multipleStatements: false,
    });
    try {
      let rows: RowDataPacket[] = [];
      for (const sql of sqls) {
        const [r] = await c.query(sql);
        rows = Array.isArray(r) ? (r as RowDataPacket[]) : [];
      }
      return rows;
    } finally {
      await c.end().catch(() => undefined);
    }
  }
}
