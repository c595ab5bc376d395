/**
 * The real MariaDB region pair (see `region-pair.ts`): two MariaDB servers with GTID binlog
 * replication, the replica's connection to the primary through a delaying proxy. Promotion:
 * the replica's IO thread stops, the SQL thread applies what was received, then `STOP SLAVE`,
 * `RESET SLAVE ALL` and `read_only = 0`. Re-protection resets both binlogs once the canary rows
 * are cleaned (the members hold the same data) and makes the old primary the replica.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DelayProxy } from './delay-proxy';
import { freePort, isRoot, RegionPairError, waitFor } from './host-process';
import { findMariadbd, MariadbServer } from './mariadb-server';
import type { CanaryRows, PairEndpoint, RegionPair } from './region-pair';

/** Options of {@link startMariadbRegionPair}. */
export interface MariadbRegionPairOptions {
  /** One-way delay of the replication link, wall ms. @default 0 */
  readonly lagMs?: number;
}

const PASSWORD = 'gameday-pair-pw';
const DATABASE = 'canary';

function ep(s: MariadbServer): PairEndpoint {
  return { host: '127.0.0.1', port: s.port };
}

/** Starts a MariaDB primary, a replica behind a delay proxy and the writer endpoint. */
export async function startMariadbRegionPair(opts: MariadbRegionPairOptions = {}): Promise<RegionPair> {
  findMariadbd();
  const dir = mkdtempSync(join(tmpdir(), 'gameday-pair-maria-'));
  const user = isRoot() ? 'root' : execFileSync('id', ['-un']).toString().trim();
  const a = new MariadbServer('a', await freePort(), 1, dir, user);
  const b = new MariadbServer('b', await freePort(), 2, dir, user);
  const pair = new MariadbRegionPair(
    dir,
    a,
    b,
    opts.lagMs ?? 0,
    await DelayProxy.start({ target: ep(a) }),
    await DelayProxy.start({ target: ep(a) }),
  );
  try {
    for (const [s, ro] of [
      [a, false],
      [b, true],
    ] as const) {
      await s.install();
      await s.start(ro);
      await s.admin(
        'SET sql_log_bin = 0',
        `CREATE DATABASE IF NOT EXISTS ${DATABASE}`,
        `CREATE USER IF NOT EXISTS 'canary'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'`,
        `GRANT ALL ON ${DATABASE}.* TO 'canary'@'127.0.0.1'`,
        `CREATE USER IF NOT EXISTS 'repl'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'`,
        "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1'",
        'RESET MASTER',
      );
    }
    await pair.startReplica();
    return pair;
  } catch (err) {
    await pair.destroy().catch(() => undefined); // the setup error is the one to report
    throw err;
  }
}

class MariadbRegionPair implements RegionPair {
  readonly engine = 'mysql' as const;
  readonly database = DATABASE;
  readonly credentials = { username: 'canary', password: PASSWORD };
  private old: MariadbServer | undefined;

  constructor(
    private readonly dir: string,
    private primary: MariadbServer,
    private standby: MariadbServer,
    private lagMs: number,
    private readonly replication: DelayProxy,
    private readonly writer: DelayProxy,
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

  /** Points the replica at the primary through the link (fresh GTID state) and waits until it follows. */
  async startReplica(): Promise<void> {
    this.replication.setDelay(0); // the handshake at full lag would take many round trips
    this.replication.setTarget(ep(this.primary));
    await this.standby.admin(
      'STOP SLAVE',
      'RESET SLAVE ALL',
      "SET GLOBAL gtid_slave_pos = ''",
      'SET GLOBAL read_only = 1',
      `CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${this.replication.port}, MASTER_USER = 'repl', MASTER_PASSWORD = '${PASSWORD}', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1`,
      'START SLAVE',
    );
    await waitFor('replica IO thread connected', async () => {
      const [st] = await this.standby.admin('SHOW SLAVE STATUS');
      if (st?.Slave_IO_Running !== 'Yes') throw new Error(`IO thread ${String(st?.Slave_IO_Running)}: ${String(st?.Last_IO_Error)}`);
    });
    await this.awaitInSync();
    this.replication.setDelay(this.lagMs);
  }

  async awaitInSync(timeoutMs = 60_000): Promise<void> {
    const [{ pos }] = (await this.primary.admin('SELECT @@GLOBAL.gtid_binlog_pos AS pos')) as [{ pos: string }];
    const [{ r }] = (await this.standby.admin(`SELECT MASTER_GTID_WAIT('${pos}', ${timeoutMs / 1000}) AS r`)) as [{ r: number }];
    if (Number(r) !== 0) throw new RegionPairError(`replica ${this.standby.name} did not reach ${pos} within ${timeoutMs} ms`);
  }

  async loseRegion(): Promise<number> {
    const at = Date.now();
    this.replication.cut();
    this.writer.cut();
    await this.primary.stop(true);
    return at;
  }

  async detachStandby(): Promise<number> {
    const at = Date.now();
    this.replication.cut();
    return at;
  }

  async promoteStandby(): Promise<{ requestedAt: number; finishedAt: number }> {
    if (this.old) throw new RegionPairError('the replica was already promoted; reprotect() before another promotion');
    const requestedAt = Date.now();
    const s = this.standby;
    await s.admin('STOP SLAVE IO_THREAD');
    // Apply everything received before the SQL thread stops (an incomplete transaction is not applied).
    await waitFor(
      'replica SQL thread applying the relay log',
      async () => {
        const [st] = await s.admin('SHOW SLAVE STATUS');
        if (!/read all relay log/i.test(String(st?.Slave_SQL_Running_State))) throw new Error(String(st?.Slave_SQL_Running_State));
      },
      30_000,
    );
    await s.admin('STOP SLAVE', 'RESET SLAVE ALL', 'SET GLOBAL read_only = 0');
    const finishedAt = Date.now();
    this.old = this.primary;
    this.primary = s;
    this.standby = this.old;
    return { requestedAt, finishedAt };
  }

  repointWriter(): void {
    this.writer.cut();
    this.writer.setTarget(ep(this.primary));
  }

  async oldPrimaryRows(table: string, runId: string): Promise<CanaryRows> {
    const old = this.requireOld();
    if (!old.isRunning) await old.start(true); // isolated: nothing routes to it; read-only from now on
    return rowsOf(old, table, runId);
  }

  async newWriterRows(table: string, runId: string): Promise<CanaryRows> {
    return rowsOf(this.primary, table, runId);
  }

  async cleanCanary(table: string, runId: string): Promise<{ member: string; deleted: number }[]> {
    const out: { member: string; deleted: number }[] = [];
    const diverged = this.old !== undefined;
    for (const s of this.old ? [this.primary, this.old] : [this.primary]) {
      if (!s.isRunning) await s.start(s !== this.primary);
      out.push({ member: s.name, deleted: await deleteRows(s, table, runId, diverged) });
    }
    // Without a promotion the replica follows the primary: its copy is deleted by replication.
    if (!diverged) await this.awaitInSync();
    return out;
  }

  async reprotect(): Promise<void> {
    const old = this.requireOld();
    if (!old.isRunning) await old.start(true);
    await this.primary.admin('RESET MASTER');
    await old.admin('STOP SLAVE', 'RESET MASTER');
    this.old = undefined;
    this.standby = old;
    await this.startReplica();
  }

  async destroy(): Promise<void> {
    for (const s of [this.primary, this.standby]) await s.stop(true);
    await this.replication.close();
    await this.writer.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private requireOld(): MariadbServer {
    if (!this.old) throw new RegionPairError('no promotion happened: there is no old primary');
    return this.old;
  }
}

function checkTable(table: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) throw new RegionPairError(`table "${table}" is not a plain identifier`);
  return table;
}

function checkRunId(runId: string): string {
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(runId)) throw new RegionPairError(`runId "${runId}" must be letters, digits and _ . : -`);
  return runId;
}

async function rowsOf(s: MariadbServer, table: string, runId: string): Promise<CanaryRows> {
  const t = checkTable(table);
  const exists = await s.admin(`SELECT 1 FROM information_schema.tables WHERE table_schema = '${DATABASE}' AND table_name = '${t}'`);
  if (exists.length === 0) return new Map();
  const rows = await s.admin(`SELECT seq, at FROM ${DATABASE}.${t} WHERE run_id = '${checkRunId(runId)}' ORDER BY seq`);
  return new Map(rows.map((r) => [Number(r.seq), Number(r.at)]));
}

/** Deletes the rows of `runId` on `s`; `local` keeps the delete out of the binlog (diverged members). */
async function deleteRows(s: MariadbServer, table: string, runId: string, local: boolean): Promise<number> {
  const t = checkTable(table);
  const exists = await s.admin(`SELECT 1 FROM information_schema.tables WHERE table_schema = '${DATABASE}' AND table_name = '${t}'`);
  if (exists.length === 0) return 0;
  const [r] = await s.admin(
    `SET sql_log_bin = ${local ? 0 : 1}`,
    `DELETE FROM ${DATABASE}.${t} WHERE run_id = '${checkRunId(runId)}'`,
    'SELECT ROW_COUNT() AS n',
  );
  return Number(r?.n ?? 0);
}
