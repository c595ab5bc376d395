/**
 * One PostgreSQL 15 server of the real region pair: its data dir under the pair's base dir, its
 * own port and socket dir, started and stopped with `pg_ctl` (as `postgres` when root), queried as
 * the canary superuser over TCP.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { RegionPairError, run, waitFor, type ProcessOwner } from './host-process';

/** Where the Debian `postgresql` package puts the PostgreSQL 15 binaries. */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

/** Throws naming the fix when the PostgreSQL binaries are missing. */
export function checkPgBinaries(): void {
  if (!existsSync(join(PG_BIN, 'initdb')))
    throw new RegionPairError(`PostgreSQL binaries missing in ${PG_BIN}; run scripts/setup.sh (apt package postgresql)`);
}

/** Settings every member runs with (both may become primary or standby). */
export const PG_SETTINGS = [
  "listen_addresses = '127.0.0.1'",
  // No OS crash is modelled: a hard stop (immediate) keeps what was written to the OS.
  'fsync = off',
  'wal_keep_size = 256MB',
  'hot_standby = on',
  'wal_retrieve_retry_interval = 500ms',
  'wal_receiver_status_interval = 1s',
  'max_wal_senders = 5',
];

/** pg_hba: replication from loopback without a password, the canary user with its password. */
export const PG_HBA = [
  'local all all trust',
  'host replication all 127.0.0.1/32 trust',
  'host all all 127.0.0.1/32 scram-sha-256',
  '',
].join('\n');

/** A PostgreSQL server on 127.0.0.1:`port` with data in `dataDir`. */
export class PgServer {
  private running = false;

  constructor(
    readonly name: string,
    readonly port: number,
    readonly dataDir: string,
    private readonly socketDir: string,
    private readonly owner: ProcessOwner,
    private readonly credentials: { username: string; password: string },
  ) {}

  /** Whether this process last started it (and has not stopped it). */
  get isRunning(): boolean {
    return this.running;
  }

  /** Starts it; resolves once it accepts connections. */
  async start(): Promise<void> {
    await run(
      join(PG_BIN, 'pg_ctl'),
      ['-D', this.dataDir, '-l', `${this.dataDir}.log`, '-w', '-t', '60', '-o', `-p ${this.port} -k ${this.socketDir}`, 'start'],
      this.owner,
    );
    this.running = true;
    await waitFor(`postgres ${this.name}`, () => this.query('SELECT 1'));
  }

  /** Stops it: `immediate` is a hard stop (a lost region), `fast` a clean one. */
  async stop(mode: 'immediate' | 'fast'): Promise<void> {
    if (!this.running) return;
    await run(join(PG_BIN, 'pg_ctl'), ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop'], this.owner);
    this.running = false;
  }

  /** Runs one statement as the canary superuser; returns the rows. */
  async query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    const c = new Client({
      host: '127.0.0.1',
      port: this.port,
      user: this.credentials.username,
      password: this.credentials.password,
      database: 'postgres',
      connectionTimeoutMillis: 3000,
    });
    c.on('error', () => undefined); // a server stopped under an idle client: the query rejects instead
    await c.connect();
    try {
      return (await c.query<R>(sql, params)).rows;
    } finally {
      await c.end().catch(() => undefined);
    }
  }
}
