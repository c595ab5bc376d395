/**
 * AWS's own time of "the promoted cluster became the writer", read from the RDS event log
 * (`DescribeEvents`, aws-dr-api.md §1.5), so a promotion's end is stamped when it happened in the
 * world, not when a poll (or a retried poll, after a worker gap) happened to see it.
 *
 * The events, by their catalog texts (USER_Events.Messages, category "global failover"):
 * - switchover: RDS-EVENT-0184 `New primary DB cluster <id> in Region <region> was successfully promoted.`
 * - failover: RDS-EVENT-0238 `Global failover to DB cluster <id> in Region <region> completed.`
 * - detach (RemoveFromGlobalCluster): the catalog documents no event, so none is looked for and the
 *   figure keeps its observation window.
 * `DescribeEvents` has no event-id field, so the message text is matched. AWS emits events "on a
 * best effort basis": a missing event is normal and the observation window is used instead.
 */
import type { RdsApi, RdsEvent } from '../aws/ports';
import { classifyAwsError } from '../aws/errors';
import type { AwsStamp, PromotionMode } from '../../contracts/promotion';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The catalog event (id and exact message) that marks `clusterId` in `region` the writer after `mode`; none for detach. */
export function writerEventOf(mode: PromotionMode, clusterId: string, region: string): { id: string; message: RegExp } | undefined {
  const c = escape(clusterId);
  const r = escape(region);
  if (mode === 'switchover')
    return { id: 'RDS-EVENT-0184', message: new RegExp(`^New primary DB cluster ${c} in Region ${r} was successfully promoted\\.?$`) };
  if (mode === 'failover')
    return { id: 'RDS-EVENT-0238', message: new RegExp(`^Global failover to DB cluster ${c} in Region ${r} completed\\.?$`) };
  return undefined;
}

/** The event of a switchover's start (RDS-EVENT-0181), AWS's own time of the request. */
export function switchoverStartedEventOf(clusterId: string, region: string): { id: string; message: RegExp } {
  return {
    id: 'RDS-EVENT-0181',
    message: new RegExp(`^Global switchover to DB cluster ${escape(clusterId)} in Region ${escape(region)} started\\.?$`),
  };
}

/**
 * The first event of `clusterId` matching `event` dated in [`since`, `until` + `skewMs`]; or why
 * none is used. A read error is not fatal: the figure falls back to
 * its observation window (and says so); the error is named in the note.
 */
export async function findRdsEvent(
  rds: RdsApi,
  clusterId: string,
  event: { id: string; message: RegExp },
  window: { readonly since: number; readonly until: number; readonly skewMs?: number },
): Promise<{ stamp: AwsStamp } | { note: string }> {
  let events: RdsEvent[];
  try {
    events = await rds.describeEvents({ sourceIdentifier: clusterId, startTime: window.since - (window.skewMs ?? 2000) });
  } catch (err) {
    const c = classifyAwsError(err);
    const why = err instanceof Error ? err.message : String(err);
    return { note: `${event.id} not read (rds.describeEvents: ${c.type}: ${why}); the observation window is used` };
  }
  const matching = events.filter((e) => event.message.test(e.message));
  const skew = window.skewMs ?? 2000;
  const inWindow = matching.find((e) => e.date >= window.since - skew && e.date <= window.until + skew);
  if (inWindow) return { stamp: { at: inWindow.date, detail: `${event.id}: ${inWindow.message}` } };
  if (matching.length > 0) {
    const dates = matching.map((e) => new Date(e.date).toISOString()).join(', ');
    return { note: `${event.id} found at ${dates}, outside the observation window; the observation window is used` };
  }
  return { note: `${event.id} not in the RDS event log (AWS emits events best-effort); the observation window is used` };
}
