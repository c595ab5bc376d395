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
