/**
 * The judgements of a restore verification, pure: which marker rows a restore to a given point
 * must (and must not) contain, and whether a runbook SQL check's value passes.
 */
import type { CheckResult } from '../../contracts/drill';
import type { MarkerWrite, RestoreSqlCheck } from '../../contracts/restore-verification';

/** Expected presence of each marker for a restore point. */
export function checkMarkers(markers: MarkerWrite, present: readonly number[], restorePoint: number | undefined): CheckResult {
  const found = new Set(present);
  if (restorePoint === undefined) {
    return {
      name: 'canary markers',
      status: 'not-run',
      detail: 'the restore point is unknown (snapshot restore without a snapshot time), so the expected rows are unknown',
    };
  }
  const mustHave = markers.acked.filter((a) => a.at <= restorePoint).map((a) => a.seq);
  const mustNotHave = markers.acked.filter((a) => a.at > restorePoint).map((a) => a.seq);
  const missing = mustHave.filter((s) => !found.has(s));
  const unexpected = mustNotHave.filter((s) => found.has(s));
  if (missing.length === 0 && unexpected.length === 0) {
    return {
      name: 'canary markers',
      status: 'pass',
      detail: `${mustHave.length} marker row(s) written before the restore point present, ${mustNotHave.length} written after it absent`,
    };
  }
  const parts = [
    ...(missing.length > 0 ? [`missing marker row(s) seq ${missing.join(', ')} written before the restore point`] : []),
    ...(unexpected.length > 0 ? [`marker row(s) seq ${unexpected.join(', ')} written after the restore point are present`] : []),
  ];
  return { name: 'canary markers', status: 'fail', detail: parts.join('; ') };
}

/** Judges one SQL check's value. */
export function judgeSqlCheck(check: RestoreSqlCheck, value: number, restorePoint: number | undefined, rpoMs: number): CheckResult {
  if (check.kind === 'newest-timestamp') {
    if (restorePoint === undefined)
      return { name: check.name, status: 'not-run', detail: 'restore point unknown, so the freshness bound is unknown' };
    const ms = value < 1e11 ? value * 1000 : value;
    const bound = restorePoint - rpoMs;
    return ms >= bound
      ? {
          name: check.name,
          status: 'pass',
          detail: `newest ${new Date(ms).toISOString()} ≥ restore point − RPO ${new Date(bound).toISOString()}`,
        }
      : {
          name: check.name,
          status: 'fail',
          detail: `newest ${new Date(ms).toISOString()} is older than restore point − RPO ${new Date(bound).toISOString()}`,
        };
  }
  const min = check.min ?? 1;
  return value >= min
    ? { name: check.name, status: 'pass', detail: `${value} ≥ ${min}` }
    : { name: check.name, status: 'fail', detail: `${value} < ${min}` };
}
