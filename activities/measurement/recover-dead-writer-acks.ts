/**
 * The acks of a canary writer attempt that died (its worker SIGKILLed) after its last checkpoint.
 *
 * A writer heartbeats its acks about once a second and Temporal keeps only what reached the
 * server (throttled to a few seconds), so the attempt that replaces a dead one resumes from a
 * checkpoint that misses the dead attempt's last acks: exactly the writes a promotion may lose.
 * They are not lost to the measurement: a committed write is a row in the database that took it.
 * The replacing attempt reads every row of the run with a seq at or after the checkpoint from
 * every Aurora member's own cluster endpoint (the old primary keeps its unreplicated tail until it
 * is resynchronized, minutes after a failover), before it writes anything itself, so every row
 * found there was written by a dead attempt. A member that cannot be read, or that AWS has begun
 * to resynchronize after a failover since the dead attempts wrote (RDS-EVENT-0240: its
 * unreplicated rows are being replaced), leaves the set unknown: the caller then reports the
 * lost-write count and RPO as not measured, with the reason.
 */
import type { CanaryAck, CanaryAckSpan, CanaryWriterResult } from '../../lib/measurement-types';
import type { Runbook } from '../../runbooks/schema';
import { withAwsErrors } from '../aws/errors';
import type { CanaryTarget } from '../canary/canary-store';
import type { ActivityDeps } from '../deps';
import { findRdsEvent } from '../promotion/writer-event';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** RDS-EVENT-0240 of `clusterId`: AWS started replacing an old primary's data after a global failover. */
function resyncStartedEventOf(clusterId: string, region: string): { id: string; message: RegExp } {
  return {
    id: 'RDS-EVENT-0240',
    message: new RegExp(
      `^Started resynchronizing members of DB cluster ${escape(clusterId)} in Region ${escape(region)} after global failover\\.?$`,
    ),
  };
}

/** Why `member`'s rows are not the ones the dead attempts wrote (it was resynchronized since `since`), or undefined. */
async function resynchronized(
  deps: ActivityDeps,
  rb: Runbook,
  member: { readonly region: string; readonly clusterId: string },
  since: number,
): Promise<string | undefined> {
  const rds = deps.aws.rds({ region: member.region, accountId: rb.account });
  const found = await findRdsEvent(rds, member.clusterId, resyncStartedEventOf(member.clusterId, member.region), {
    since,
    until: deps.clock.now(),
    skewMs: 0,
  });
  if ('stamp' in found) return `resynchronized after a failover (${found.stamp.detail}): the rows it had not replicated are gone`;
  return found.note.includes('not read') ? `whether it was resynchronized is not known (${found.note})` : undefined;
}

/** What the members' rows say about the dead attempts' writes in a seq range. */
export interface DeadWriterRows {
  /** Rows found, ascending by seq (each seq once). */
  readonly rows: CanaryAck[];
  /** Cluster ids read. */
  readonly readFrom: string[];
  /** Set when some member could not be read: why the set is not known. */
  readonly gap?: string;
}

async function readMember(
  deps: ActivityDeps,
  rb: Runbook,
  member: { readonly region: string; readonly clusterId: string },
  target: CanaryTarget,
  range: { readonly runId: string; readonly fromSeq: number; readonly toSeq: number },
  attempts: number,
): Promise<CanaryAck[]> {
  let last: unknown;
  for (let i = 1; i <= attempts; i++) {
    try {
      const c = await withAwsErrors(() =>
        deps.aws.rds({ region: member.region, accountId: rb.account }).describeDbCluster(member.clusterId),
      );
      if (!c.endpoint) throw new Error(`cluster ${member.clusterId} has no endpoint`);
      const store = await deps.canary.connect({ ...target, endpoint: c.endpoint });
      try {
        return await store.rows(range.runId, range.fromSeq, range.toSeq);
      } finally {
        await store.close().catch(() => undefined);
      }
    } catch (err) {
      last = err;
      if (i < attempts) await deps.clock.sleep(1000 * deps.clock.scale);
    }
  }
  throw last;
}

/**
 * Reads the run's rows with seq in [fromSeq, toSeq] on every Aurora member of `rb` (see the module
 * doc), trying each member `attempts` times a wall second apart; `beat` (the activity's
 * heartbeat) is called before each member, so a slow or unreachable member does not time it out.
 */
export async function readDeadWriterRows(
  deps: ActivityDeps,
  rb: Runbook,
  target: CanaryTarget,
  range: { readonly runId: string; readonly fromSeq: number; readonly toSeq: number },
  attempts = 3,
  beat: () => void = () => undefined,
  /** Check each member for a resynchronization since this clock ms (the dead attempts' first write). */
  resyncSince?: number,
): Promise<DeadWriterRows> {
  const members = rb.aurora?.members ?? [];
  if (members.length === 0) return { rows: [], readFrom: [], gap: 'the runbook names no Aurora member to read the canary rows from' };
  const bySeq = new Map<number, CanaryAck>();
  const readFrom: string[] = [];
  const failed: string[] = [];
  for (const m of members) {
    beat();
    try {
      for (const r of await readMember(deps, rb, m, target, range, attempts)) if (!bySeq.has(r.seq)) bySeq.set(r.seq, r);
      readFrom.push(m.clusterId);
      const resync = resyncSince !== undefined ? await resynchronized(deps, rb, m, resyncSince) : undefined;
      if (resync) failed.push(`${m.clusterId}: ${resync}`);
    } catch (err) {
      failed.push(`${m.clusterId}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    }
  }
  const rows = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  if (failed.length === 0) return { rows, readFrom };
  return {
    rows,
    readFrom,
    gap: `a canary writer attempt died after its last checkpoint (seq ${range.fromSeq}) and not all of its later writes can be read back (${failed.join('; ')}), so which writes it committed is not known`,
  };
}

function inSpans(spans: readonly CanaryAckSpan[], seq: number): boolean {
  return spans.some((s) => seq >= s.fromSeq && seq <= s.toSeq);
}

/** `result` with `rows` added to its exact acks (rows it already holds are kept as they are). */
export function withRecoveredRows(result: CanaryWriterResult, rows: readonly CanaryAck[]): CanaryWriterResult {
  const have = new Set(result.acked.map((a) => a.seq));
  const spans = result.ackSpans ?? [];
  const added = rows.filter((r) => !have.has(r.seq) && !inSpans(spans, r.seq));
  if (added.length === 0) return result;
  const acked = [...result.acked, ...added].sort((a, b) => a.seq - b.seq);
  const { unavailableReason: _none, ...rest } = result;
  return { ...rest, acked };
}
