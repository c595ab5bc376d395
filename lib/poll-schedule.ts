/**
 * When to read a state again, from what is known about the operation: its usual duration. Pure
 * and deterministic (activities, benchmarks and tests import it; workflows may too).
 *
 * - Before the operation's usual minimum, a change is unlikely: the next read is a fraction
 *   (`APPROACH`) of the time left to the minimum, so the reads close in on it in a few steps
 *   (an operation faster than usual is still seen, a little later).
 * - Inside the usual window the change is due: reads every `fastMs`, which sets the detection
 *   latency (the change lies uniformly between two reads: median ≈ fastMs / 2).
 * - Past the usual maximum the estimate was wrong: the interval grows by `OVERDUE_GROWTH` of the
 *   overdue time, capped at `slowMs`.
 * Without a known duration it is the older two-speed rule: `fastMs` while due, else `slowMs`.
 */

/** The usual duration of an operation, from its start (clock ms). */
export interface ExpectedDuration {
  /** The change is unlikely before this. */
  readonly minMs: number;
  /** The change is expected by this. */
  readonly maxMs: number;
  /** Where the figures come from (documentation, the sim's model), for the reader. */
  readonly source?: string;
}

/** How a state wait paces its reads. */
export interface PollSchedule {
  /** Interval while a change is due (clock ms): sets the detection latency. */
  readonly fastMs: number;
  /** Longest interval (clock ms). */
  readonly slowMs: number;
  /** Usual duration of the awaited operation; absent = unknown (two-speed rule). */
  readonly expected?: ExpectedDuration;
}

/** Fraction of the time left to the usual minimum slept before the next read. */
export const APPROACH = 2 / 3;
/** Growth of the interval per ms overdue (past the usual maximum). */
export const OVERDUE_GROWTH = 0.1;

/**
 * Delay (clock ms) before the next read, `elapsedMs` after the operation started. `due` is what
 * the last state said (false: the operation has not begun its transition, e.g. still pending);
 * it only matters without an expected duration.
 */
export function nextPollDelay(schedule: PollSchedule, elapsedMs: number, due = true): number {
  const { fastMs, slowMs, expected } = schedule;
  if (!expected) return due ? fastMs : slowMs;
  if (elapsedMs < expected.minMs) return clamp((expected.minMs - elapsedMs) * APPROACH, fastMs, slowMs);
  if (elapsedMs <= expected.maxMs) return fastMs;
  return clamp(fastMs + (elapsedMs - expected.maxMs) * OVERDUE_GROWTH, fastMs, slowMs);
}

/** Checks a schedule; returns the problem in words, or undefined when it is usable. */
export function scheduleProblem(s: PollSchedule): string | undefined {
  if (!(s.fastMs > 0)) return `fastMs must be > 0, got ${s.fastMs}`;
  if (!(s.slowMs >= s.fastMs)) return `slowMs (${s.slowMs}) must be ≥ fastMs (${s.fastMs})`;
  if (s.expected && !(s.expected.minMs >= 0 && s.expected.maxMs >= s.expected.minMs)) {
    return `expected duration must have 0 ≤ minMs ≤ maxMs, got ${s.expected.minMs}..${s.expected.maxMs}`;
  }
  return undefined;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Interval while due of the adaptive waits (clock ms): median detection latency ≈ half of it. */
export const DUE_POLL_MS = 1000;
/** Longest interval of the adaptive waits (clock ms). */
export const SLOW_POLL_MS = 60_000;

const SEC = 1000;
const MIN = 60 * SEC;

/**
 * Usual durations of the operations gameday waits for, from the published anchors
 * (`shared/reference/domain.md` §4, the Aurora and Route 53 guides) that the sim also models.
 * They are priors, not promises: a faster operation is seen a little later, a slower one with a
 * growing interval (see the module doc).
 */
export const OPERATION_DURATIONS = {
  /** RestoreDBClusterToPointInTime / FromSnapshot until the cluster is available. */
  restoreCluster: { minMs: 5 * MIN, maxMs: 15 * MIN, source: 'Aurora restore: minutes (small clusters 5–15 min)' },
  /** CreateDBInstance in a restored cluster until available. */
  createInstance: { minMs: 5 * MIN, maxMs: 10 * MIN, source: 'Aurora instance creation: 5–10 min' },
  /** The source's latest restorable time passing a point just written (PITR lags ~5 min). */
  latestRestorableLag: { minMs: 5 * MIN, maxMs: 6 * MIN, source: 'RDS: latest restorable time lags ~5 min' },
  /** DeleteDBCluster until not found. */
  deleteCluster: { minMs: 3 * MIN, maxMs: 5 * MIN, source: 'Aurora cluster deletion: 3–5 min' },
  /** BacktrackDBCluster until completed. */
  backtrack: { minMs: 5 * SEC, maxMs: 20 * SEC, source: 'Backtrack: seconds' },
  /** Aurora Global switchover until the global cluster is available again. */
  globalSwitchover: { minMs: 60 * SEC, maxMs: 200 * SEC, source: 'Aurora Global switchover: 1–3 min' },
  /** Aurora Global unplanned failover until available again. */
  globalFailover: { minMs: 60 * SEC, maxMs: 135 * SEC, source: 'Aurora Global failover: order of minutes' },
  /** Route 53 ChangeResourceRecordSets until INSYNC. */
  route53Change: { minMs: 30 * SEC, maxMs: 90 * SEC, source: 'Route 53: PENDING → INSYNC commonly ~60 s' },
  /** ElastiCache TestFailover until the group is available. */
  elasticacheFailover: { minMs: 40 * SEC, maxMs: 90 * SEC, source: 'ElastiCache failover: under 1–2 min' },
  /** A gameday SSM automation (fence, reconfigure) until Success. */
  ssmAutomation: { minMs: 20 * SEC, maxMs: 65 * SEC, source: "gameday's SSM documents: 20–60 s once InProgress" },
} as const satisfies Record<string, ExpectedDuration>;

/** The adaptive schedule of an operation of `OPERATION_DURATIONS` (or any expected duration). */
export function adaptiveSchedule(expected: ExpectedDuration | undefined): PollSchedule {
  return { fastMs: DUE_POLL_MS, slowMs: SLOW_POLL_MS, ...(expected ? { expected } : {}) };
}
