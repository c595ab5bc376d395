/**
 * The real PostgreSQL region pair (see `region-pair.ts`): two PostgreSQL 15 servers, the standby
 * streaming from the primary through a delaying proxy (the lag is the proxy's one-way delay), the
 * writer endpoint a zero-delay proxy. Promotion is `pg_promote()`; re-protection rebuilds the old
 * primary with `pg_basebackup` from the new writer, so runs can follow each other.
 */
import { appendFileSync, chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DelayProxy } from './delay-proxy';
import { freePort, postgresOwner, RegionPairError, run, waitFor, type ProcessOwner } from './host-process';
import { checkPgBinaries, PG_BIN, PG_HBA, PG_SETTINGS, PgServer } from './pg-server';
import type { CanaryRows, PairEndpoint, RegionPair } from './region-pair';

/** Options of {@link startPgRegionPair}. */
export interface PgRegionPairOptions {
  /** One-way delay of the replication link, wall ms. @default 0 */
  readonly lagMs?: number;
  /** Directory for the data dirs. @default a new temp dir, removed by `destroy` */
  readonly baseDir?: string;
}

const PASSWORD = 'gameday-pair-pw';

/** Starts a PostgreSQL primary, a streaming standby behind a delay proxy and the writer endpoint. */
export async function startPgRegionPair(opts: PgRegionPairOptions = {}): Promise<RegionPair> {
  checkPgBinaries();
  const owner = postgresOwner();
  const base = opts.baseDir ?? mkdtempSync(join(tmpdir(), 'gameday-pair-pg-'));
  if (owner.uid !== undefined) chownSync(base, owner.uid, owner.gid!);
  const credentials = { username: 'canary', password: PASSWORD };
  const [portA, portB] = [await freePort(), await freePort()];
  const a = new PgServer('a', portA, join(base, 'a'), base, owner, credentials);
  const b = new PgServer('b', portB, join(base, 'b'), base, owner, credentials);
  const pwfile = join(base, 'pwfile');
  writeFileSync(pwfile, PASSWORD);
  chmodSync(pwfile, 0o600);
  if (owner.uid !== undefined) chownSync(pwfile, owner.uid, owner.gid!);
  await run(join(PG_BIN, 'initdb'), ['-D', a.dataDir, '-U', 'canary', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync'], {
    ...owner,
    cwd: base,
  });
  appendFileSync(join(a.dataDir, 'postgresql.conf'), `\n${PG_SETTINGS.join('\n')}\n`);
  writeFileSync(join(a.dataDir, 'pg_hba.conf'), PG_HBA);
  const pair = new PgRegionPair(
    base,
    owner,
    a,
    b,
    opts.lagMs ?? 0,
    await DelayProxy.start({ target: ep(a) }),
    await DelayProxy.start({ target: ep(a) }),
    !opts.baseDir,
  );
  try {
    await a.start();
    await pair.buildStandby();
    return pair;
  } catch (err) {
    await pair.destroy().catch(() => undefined); // the setup error is the one to report
    throw err;
  }
}

function ep(s: PgServer): PairEndpoint {
  return { host: '127.0.0.1', port: s.port };
}

class PgRegionPair implements RegionPair {
  readonly engine = 'postgres' as const;
  readonly database = 'postgres';
  readonly credentials = { username: 'canary', password: PASSWORD };
  /** Set between a promotion and `reprotect`: the member that was primary. */
  private old: PgServer | undefined;

  constructor(
    private readonly base: string,
    private readonly owner: ProcessOwner,
    private primary: PgServer,
    private standby: PgServer,
    private lagMs: number,
    private readonly replication: DelayProxy,
    private readonly writer: DelayProxy,
    private readonly ownsBase: boolean,
  ) {}

  get writerEndpoint(): PairEndpoint {
    return { host: '127.0.0.1', port: this.writer.port };
  }

  members() {
    return { primary: ep(this.primary), standby: ep(this.standby) };
  }

  setLag(ms: number): void {
    this.lagMs = ms;
    this.replication.setDelay(ms);
  }

  /** Copies the primary into the standby's data dir through the replication link and starts it streaming. */
  async buildStandby(): Promise<void> {
    rmSync(this.standby.dataDir, { recursive: true, force: true });
    this.replication.setDelay(0); // the handshake's round trips at full lag would take tens of seconds
    this.replication.setTarget(ep(this.primary));
    await run(
      join(PG_BIN, 'pg_basebackup'),
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(this.replication.port),
        '-U',
        'canary',
        '-D',
        this.standby.dataDir,
        '-X',
        'stream',
        '-R',
        '-c',
        'fast',
        '--no-sync',
      ],
      { ...this.owner, cwd: this.base },
    );
    await this.standby.start();
    await this.awaitInSync();
    this.replication.setDelay(this.lagMs);
  }

  async awaitInSync(timeoutMs = 60_000): Promise<void> {
    const [{ lsn }] = await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    await waitFor(
      `standby ${this.standby.name} replaying up to ${lsn}`,
      async () => {
        const [r] = await this.standby.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn]);
        if (!r?.ok) throw new Error(`behind ${lsn}`);
      },
      timeoutMs,
    );
  }

  async loseRegion(): Promise<number> {
    const at = Date.now();
    this.replication.cut();
    this.writer.cut();
    await this.primary.stop('immediate');
    return at;
  }

  async detachStandby(): Promise<number> {
    const at = Date.now();
    this.replication.cut();
    return at;
  }

  async promoteStandby(): Promise<{ requestedAt: number; finishedAt: number }> {
    if (this.old) throw new RegionPairError('the standby was already promoted; reprotect() before another promotion');
    const requestedAt = Date.now();
    const [r] = await this.standby.query<{ ok: boolean }>('SELECT pg_promote(true, 60) AS ok');
    if (!r?.ok) throw new RegionPairError(`pg_promote on ${this.standby.name} did not finish within 60 s`);
    const finishedAt = Date.now();
    this.old = this.primary;
    this.primary = this.standby;
    this.standby = this.old;
    return { requestedAt, finishedAt };
  }

  repointWriter(): void {
    this.writer.cut(); // connections to the old primary end: the app reconnects to the new writer
    this.writer.setTarget(ep(this.primary));
  }

  async oldPrimaryRows(table: string, runId: string): Promise<CanaryRows> {
    const old = this.requireOld();
    if (!old.isRunning) await old.start(); // nothing routes to it any more: isolated
    return rowsOf(old, table, runId);
  }

  async newWriterRows(table: string, runId: string): Promise<CanaryRows> {
    return rowsOf(this.primary, table, runId);
  }

  async cleanCanary(table: string, runId: string): Promise<{ member: string; deleted: number }[]> {
    const out: { member: string; deleted: number }[] = [];
    for (const s of this.old ? [this.primary, this.old] : [this.primary]) {
      if (!s.isRunning) await s.start();
      out.push({ member: s.name, deleted: await deleteRows(s, table, runId) });
    }
    // Without a promotion the standby follows the primary: its copy is deleted by replication.
    if (!this.old) await this.awaitInSync();
    return out;
  }

  async reprotect(): Promise<void> {
    const old = this.requireOld();
    await old.stop('fast');
    this.old = undefined;
    this.standby = old;
    await this.buildStandby();
  }

  async destroy(): Promise<void> {
    for (const s of [this.primary, this.standby]) await s.stop('immediate').catch(() => undefined); // best effort: removed next
    await this.replication.close();
    await this.writer.close();
    if (this.ownsBase) rmSync(this.base, { recursive: true, force: true });
  }

  private requireOld(): PgServer {
    if (!this.old) throw new RegionPairError('no promotion happened: there is no old primary');
    return this.old;
  }
}

function checkTable(table: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) throw new RegionPairError(`table "${table}" is not a plain identifier`);
  return table;
}

async function rowsOf(s: PgServer, table: string, runId: string): Promise<CanaryRows> {
  const exists = await s.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [checkTable(table)]);
  if (!exists[0]?.t) return new Map();
  const rows = await s.query<{ seq: string; at: string }>(`SELECT seq, at FROM ${table} WHERE run_id = $1 ORDER BY seq`, [runId]);
  return new Map(rows.map((r) => [Number(r.seq), Number(r.at)]));
}

async function deleteRows(s: PgServer, table: string, runId: string): Promise<number> {
  const exists = await s.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [checkTable(table)]);
  if (!exists[0]?.t) return 0;
  const rows = await s.query<{ n: string }>(`WITH d AS (DELETE FROM ${table} WHERE run_id = $1 RETURNING 1) SELECT count(*) AS n FROM d`, [
    runId,
  ]);
  return Number(rows[0]!.n);
}
