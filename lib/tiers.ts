/**
 * Recovery targets per tier (domain.md §2). A runbook may override either figure.
 * All durations are milliseconds so that timeline math never converts units.
 */
export type Tier = 'tier0' | 'tier1' | 'tier2';

/** Recovery targets a run is judged against. */
export interface RecoveryTargets {
  /** Maximum tolerated data loss, ms. */
  readonly rpoMs: number;
  /** Maximum tolerated downtime, ms. */
  readonly rtoMs: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The DR plan's defaults: Tier 0 5 s / 15 min, Tier 1 15 min / 4 h, Tier 2 24 h / 24 h. */
export const TIER_TARGETS: Readonly<Record<Tier, RecoveryTargets>> = {
  tier0: { rpoMs: 5 * SECOND, rtoMs: 15 * MINUTE },
  tier1: { rpoMs: 15 * MINUTE, rtoMs: 4 * HOUR },
  tier2: { rpoMs: 24 * HOUR, rtoMs: 24 * HOUR },
};

/** Targets for an AZ loss, which should be a non-event: RTO < 1 min, RPO 0 (domain.md §2). */
export const AZ_LOSS_TARGETS: RecoveryTargets = { rpoMs: 0, rtoMs: 1 * MINUTE };

/** Resolves the targets of a tier with optional per-runbook overrides. */
export function targetsFor(tier: Tier, overrides?: Partial<RecoveryTargets>): RecoveryTargets {
  return { ...TIER_TARGETS[tier], ...stripUndefined(overrides ?? {}) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const DAY = 24 * HOUR;

/** A scenario whose measured RTO / RPO is evidence that a runbook's recovery works. */
export type EvidenceScenario =
  'region-promotion' | 'az-loss' | 'restore-verification' | 'backtrack-drill' | 'region-cut' | 'instance-termination';

/**
 * How old the last measured RTO / RPO of each scenario may be, per tier (the evidence policy of
 * `gameday evidence`): tier 0 rehearses a region promotion at least every 90 days and verifies a
 * restore every day. A scenario a runbook cannot run (no global database, no Backtrack) is not
 * required of it.
 */
export const EVIDENCE_POLICY: Readonly<Record<Tier, Readonly<Partial<Record<EvidenceScenario, number>>>>> = {
  tier0: {
    'region-promotion': 90 * DAY,
    'restore-verification': 1 * DAY,
    'az-loss': 90 * DAY,
    'backtrack-drill': 7 * DAY,
    'region-cut': 90 * DAY,
    'instance-termination': 90 * DAY,
  },
  tier1: {
    'region-promotion': 180 * DAY,
    'restore-verification': 7 * DAY,
    'az-loss': 180 * DAY,
    'backtrack-drill': 30 * DAY,
    'region-cut': 180 * DAY,
    'instance-termination': 180 * DAY,
  },
  tier2: { 'restore-verification': 30 * DAY, 'backtrack-drill': 30 * DAY },
};
