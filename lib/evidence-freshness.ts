/**
 * Evidence freshness: for a runbook, which scenarios its tier's policy requires
 * (`EVIDENCE_POLICY` in `lib/tiers.ts`, limited to the scenarios the runbook can run), and, given
 * the last run that measured an RTO or RPO (from Temporal visibility over the Gameday search
 * attributes), whether that evidence is fresh, stale or missing. Pure; `gameday evidence` queries
 * Temporal and renders the rows; unit-tested in `test/evidence-freshness.test.ts`.
 */
import type { Runbook } from '../runbooks/schema';
import { EVIDENCE_POLICY, type EvidenceScenario, type Tier } from './tiers';

/** A scenario a runbook must have recent evidence of, and how old it may be. */
export interface RequiredEvidence {
  readonly scenario: EvidenceScenario;
  readonly maxAgeMs: number;
}

/** The last run that measured a scenario (visibility). */
export interface LastMeasured {
  readonly workflowId: string;
  readonly runId: string;
  /** Wall-clock epoch ms the run closed. */
  readonly closedAt: number;
  readonly verdict?: string;
  readonly rtoSeconds?: number;
  readonly rpoSeconds?: number;
}

/** One line of `gameday evidence`. */
export interface EvidenceRow extends RequiredEvidence {
  readonly runbook: string;
  readonly service: string;
  readonly tier: Tier;
  readonly last?: LastMeasured;
  /** now − last.closedAt, wall ms. */
  readonly ageMs?: number;
  /** `never`: no run ever measured it; `stale`: older than the policy allows. */
  readonly status: 'fresh' | 'stale' | 'never';
}

/** Whether a runbook can run a scenario at all (so the policy may require it). */
export function canRun(rb: Runbook, scenario: EvidenceScenario): boolean {
  switch (scenario) {
    case 'region-promotion':
      return rb.aurora?.globalClusterId !== undefined && rb.aurora.members.length > 1;
    case 'az-loss':
      return rb.fis !== undefined;
    case 'restore-verification':
      return rb.aurora !== undefined;
    case 'backtrack-drill':
      return rb.aurora?.engine === 'mysql' && rb.aurora.backtrackWindow !== undefined;
    case 'region-cut':
      return rb.route53 !== undefined && rb.fis !== undefined;
    case 'instance-termination':
      return (rb.fis?.autoScalingGroups.length ?? 0) > 0;
  }
}

/** The scenarios the policy requires of `rb` (only those it can run, and not `exclude`d). */
export function requiredEvidence(rb: Runbook, exclude: ReadonlySet<string> = new Set()): RequiredEvidence[] {
  return Object.entries(EVIDENCE_POLICY[rb.tier])
    .map(([scenario, maxAgeMs]) => ({ scenario: scenario as EvidenceScenario, maxAgeMs: maxAgeMs! }))
    .filter((r) => !exclude.has(r.scenario) && canRun(rb, r.scenario));
}

/** Judges one required scenario against its last measured run at wall time `now`. */
export function judgeEvidence(
  runbook: string,
  rb: Runbook,
  req: RequiredEvidence,
  last: LastMeasured | undefined,
  now: number,
): EvidenceRow {
  const base = { ...req, runbook, service: rb.service, tier: rb.tier };
  if (!last) return { ...base, status: 'never' };
  const ageMs = Math.max(0, now - last.closedAt);
  return { ...base, last, ageMs, status: ageMs <= req.maxAgeMs ? 'fresh' : 'stale' };
}
