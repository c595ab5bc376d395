/**
 * What the drill playbooks (restore verification, Backtrack) say the same way in their reports:
 * how the run ended, the notes of the data checks, and the message of a failed verification.
 * Pure functions, unit-tested in `test/drill-findings.test.ts`.
 */
import type { CheckResult, VerificationResult } from '../contracts/drill';
import type { RunReport } from './measurement-types';

/** How a run's steps ended, as the run kit reports it (structurally the kit's `RunEnd`). */
export type DrillEnd =
  | { readonly kind: 'running'; readonly step: string }
  | { readonly kind: 'completed' }
  | { readonly kind: 'aborted' | 'cancelled' | 'failed'; readonly reason: string };

/** Outcome and reason of a report for `end` (a cancelled run is reported `aborted`). */
export function drillOutcome(end: DrillEnd): Pick<RunReport, 'outcome' | 'outcomeReason'> {
  switch (end.kind) {
    case 'running':
      return { outcome: 'running', outcomeReason: `running (step ${end.step}): the report so far` };
    case 'completed':
      return { outcome: 'completed' };
    case 'failed':
      return { outcome: 'failed', outcomeReason: end.reason };
    default:
      return { outcome: 'aborted', outcomeReason: end.reason };
  }
}

/** One note per check: `check PASS: <name> — <detail>`. */
export function checkNotes(checks: readonly CheckResult[]): string[] {
  return checks.map((c) => `check ${c.status.toUpperCase()}: ${c.name} — ${c.detail}`);
}

/** `<name>: <detail>` of every failed check, `; `-separated; undefined when the verification passed. */
export function failedChecks(v: VerificationResult): string | undefined {
  if (v.passed) return undefined;
  return v.checks
    .filter((c) => c.status === 'fail')
    .map((c) => `${c.name}: ${c.detail}`)
    .join('; ');
}
