/**
 * Types shared by every playbook for measured RTO / RPO (domain.md §3).
 * Pure data: workflows import these with `import type`, activities produce them.
 * The math lives in `lib/timeline.ts` (pure, unit-tested).
 */
import type { RecoveryTargets, Tier } from './tiers';

/** Things that happen in a run, observed by activities, each with the time it was observed. */
export type TimelineEventName =
  | 'fault-injected' // FIS experiment started / incident declared
  | 'promotion-requested' // a promotion was requested (a planned switchover injects nothing)
  | 'failure-detected' // an alarm or a poll saw the impairment
  | 'approval-requested'
  | 'decision-made' // approval granted (or auto-approved by policy)
  | 'promotion-started' // the promote call was accepted (point of no return)
  | 'writes-blocked' // AWS's record that the old primary stopped taking writes (RDS-EVENT-0390/0391): replication to the new writer ends here
  | 'promotion-finished' // the new writer accepts writes
  | 'traffic-shift-started'
  | 'traffic-converged' // Route 53 change INSYNC / routing controls applied
  | 'app-reconfigured' // SSM parameter or automation done
  | 'app-healthy' // a write through the service endpoint succeeded and health alarms are OK
  | 'component-impaired' // AZ loss: a component lost its writer/primary/instances (see `component`)
  | 'component-recovered' // AZ loss: the component serves again
  | 'restore-started'
  | 'restore-available'
  | 'verification-finished'
  | 'cleanup-finished'
  | 're-protected'; // failback: the secondary replicates again within RPO

/** One observed event of a run, timed by the activity that saw it. */
export interface TimelineEvent {
  readonly name: TimelineEventName;
  /** Epoch ms by the activity's clock (simulated ms in sim mode). */
  readonly at: number;
  /** Which activity/observer recorded it, e.g. `awaitClusterWritable`. */
  readonly source: string;
  /** For per-component events (AZ loss): `aurora:<cluster>`, `elasticache:<rg>`, `ec2:<asg>`. */
  readonly component?: string;
  readonly detail?: string;
  /** Wall-clock epoch ms the event was stamped at, when it bounds a person's wait (see `lib/human-time.ts`). */
  readonly wallAt?: number;
  /**
   * For an event seen by polling: the instant (same clock as `at`) of the last read that did not
   * see it yet, or of the step that caused it when the first read already saw it. The change
   * happened in (`notBefore`, `at`]; `at` is only when it was first seen.
   */
  readonly notBefore?: number;
  /**
   * For an event timed by a call (the promote call): when the call returned. Its effect happened
   * in [`at`, `until`]; where in that window AWS acted is not observable.
   */
  readonly until?: number;
}

/** One acknowledged canary write. `at` is the commit time taken by the writer when acked. */
export interface CanaryAck {
  readonly seq: number;
  readonly at: number;
}

/** What the canary writer observed, returned when it is stopped. */
export interface CanaryWriterResult {
  readonly runId: string;
  readonly ratePerSecond: number;
  readonly acked: readonly CanaryAck[];
  readonly failedAttempts: number;
  /** First and last failure times (the outage the canary saw), if any. */
  readonly firstFailureAt?: number;
  readonly lastFailureAt?: number;
  /** First successful write after a failure window (the new writer), if any. */
  readonly firstWriteAfterOutage?: CanaryAck;
  /** Set when the canary could not run at all; RPO is then "not measured" with this reason. */
  readonly unavailableReason?: string;
  /**
   * Compacted acks (to keep the result small): every seq in [fromSeq, toSeq] was acked, the first
   * at `fromAt`, the last at `toAt`. The set of acked writes is `acked` ∪ these spans; `acked`
   * keeps exact times around failure windows and at the end. Times inside a span are
   * interpolated by the timeline math (and the report says so).
   */
  readonly ackSpans?: readonly CanaryAckSpan[];
  /** Clock ms this writer (all its attempts) spent writing. */
  readonly writingMs?: number;
  /** Acked writes per second of writing (start to stop, by the writer's clock), beside `ratePerSecond`. */
  readonly achievedRatePerSecond?: number;
  /** The writer's epoch (its seqs are `(epoch − 1) × CANARY_EPOCH_STRIDE + n`): never reused across restarts. */
  readonly epoch?: number;
  /**
   * Seqs whose statement was sent but whose outcome never came back (the connection died): the
   * database may hold them although they were not acked. The newest 100.
   */
  readonly inDoubtSeqs?: readonly number[];
  /**
   * Writes of earlier attempts that died (worker killed) after their last checkpoint, read back
   * row by row from the databases (every Aurora member's own endpoint) by the attempt that
   * replaced them; they are in `acked`. One entry per restart.
   */
  readonly recoveredAcks?: readonly RecoveredAcks[];
  /**
   * Set when a dead attempt's acks after its last checkpoint could not be recovered (a member
   * unreadable, or the activity gave up): the lost-write count and RPO are then "not measured"
   * with this reason, never a count that misses them.
   */
  readonly ackGap?: string;
}

/** Acks of a dead writer attempt recovered from the databases' rows (see `CanaryWriterResult.recoveredAcks`). */
export interface RecoveredAcks {
  /** The attempt that read them back. */
  readonly attempt: number;
  /** Seq range of the dead attempts that had no checkpoint, inclusive. */
  readonly fromSeq: number;
  readonly toSeq: number;
  /** Rows found in that range (committed by the dead attempts). */
  readonly rows: number;
  /** Clock ms of the read. */
  readonly readAt: number;
  /** Cluster ids whose rows were read. */
  readonly readFrom: readonly string[];
}

/** A run of consecutive acked seqs, compacted: exact interior times as deltas, or (old spans) interpolated. */
export interface CanaryAckSpan {
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly fromAt: number;
  readonly toAt: number;
  /**
   * Exact times: `atDeltas[i]` = at(fromSeq + i + 1) − at(fromSeq + i), `toSeq − fromSeq` of them.
   * Absent when the writer dropped them to stay small; interior times are then interpolated.
   */
  readonly atDeltas?: readonly number[];
}

/** What the reader found on the new writer. */
export interface CanaryReadResult {
  /** Sequence numbers present on the new writer, among those the writer acked. */
  readonly presentSeqs: readonly number[];
  /** The same as inclusive `[from, to]` ranges (compact); present = `presentSeqs` ∪ these. */
  readonly presentRanges?: readonly (readonly [number, number])[];
  readonly newest?: CanaryAck;
  readonly readAt: number;
  readonly unavailableReason?: string;
}

/** Split-brain writes: acked by the old primary after the promotion began, missing on the new writer. */
export interface SplitBrainFigure {
  readonly writes: number;
  /** Time (writer's clock) of the first and last such write: the window the old primary stayed writable. */
  readonly firstAt: number;
  readonly lastAt: number;
}

/** Measured value of one figure, or why it is not measured. Never a target shown as a result. */
export type Figure =
  | {
      readonly status: 'measured';
      readonly valueMs: number;
      readonly targetMs: number;
      /** targetMs − valueMs: positive = headroom, negative = overrun. */
      readonly marginMs: number;
      readonly verdict: 'pass' | 'fail';
      /**
       * Set when the figure ends at an event seen by polling: the true value lies in
       * (`earliestMs`, `valueMs`]. `valueMs` is the figure as observed (never less than the truth).
       */
      readonly earliestMs?: number;
    }
  | { readonly status: 'not-measured'; readonly reason: string; readonly targetMs: number };

/** How long one phase of a recovery (detect, decide, promote, …) took, start to end. */
export interface PhaseFigure {
  readonly phase: 'detect' | 'decide' | 'promote' | 'traffic' | 'app' | 'restore' | 'verify' | string;
  readonly startAt: number;
  readonly endAt: number;
  readonly durationMs: number;
  /** Set when the end preceded the start (clock skew between sources) and the duration was clamped to 0. */
  readonly clampedFromMs?: number;
}

/** The measured RTO/RPO of a run against its tier targets, with phases and per-component figures. */
export interface Measurement {
  readonly targets: RecoveryTargets;
  readonly rto: Figure;
  readonly rpo: Figure;
  readonly phases: readonly PhaseFigure[];
  /**
   * Per component (AZ loss): its own RTO figure against the same target. `label` says what the
   * figure measures (e.g. `writer moved out of us-east-1a`, `capacity restored (not service
   * downtime)`); reports show it next to the component.
   */
  readonly components: readonly { readonly component: string; readonly rto: Figure; readonly label?: string }[];
  /** Canary writes acked before the promotion began and missing on the new writer (the RPO's writes). */
  readonly lostWrites?: number;
  /** Writes the old primary acked after the promotion began that the new writer lacks (a split brain; not RPO). */
  readonly splitBrain?: SplitBrainFigure;
  /**
   * Writes sent while the promote call was in flight (promotion-started `at` ≤ write < `until`)
   * and missing on the new writer, when AWS records no instant for the cut (a detach): lost or
   * split brain, which is not observable; counted in neither `lostWrites` nor `splitBrain`.
   */
  readonly inFlightAtPromotion?: SplitBrainFigure;
  /** Predicted RPO from CloudWatch replication lag before the fault, if read. */
  readonly predictedRpoMs?: number;
  /** The measurement's own resolution, stated in every report. */
  readonly resolution: {
    readonly pollIntervalMs?: number;
    /** The canary's configured rate. */
    readonly canaryRatePerSecond?: number;
    /** The rate the canary achieved (acked writes per second of writing, by its clock). */
    readonly canaryAchievedRatePerSecond?: number;
    /** AWS API calls the run made (absent: not counted, see `lib/aws-call-count.ts`). */
    readonly awsCalls?: number;
    /** Activity executions whose calls are not (fully) in `awsCalls`, which is then a lower bound. */
    readonly awsCallsUncounted?: number;
  };
  /** The service verdict: RTO and RPO against their targets; component figures have their own verdicts. */
  readonly verdict: 'pass' | 'fail' | 'not-measured';
  /** How the figures were derived where that is not obvious (clock-skew clamps, fallbacks). */
  readonly notes?: readonly string[];
  /**
   * The time inside the RTO that no phase covers, named by the phases around it (e.g. `decide →
   * promote`), so phases and gaps add up to the RTO: nothing is silent.
   */
  readonly gaps?: readonly { readonly between: string; readonly startAt: number; readonly endAt: number; readonly durationMs: number }[];
  /** Waits for a person inside the run, each counted at its wall duration (see `lib/human-time.ts`). */
  readonly humanWaits?: readonly { readonly what: string; readonly wallMs: number; readonly clockMs: number }[];
}

/** The playbook a run report comes from. */
export type Scenario =
  | 'preflight'
  | 'region-promotion'
  | 'traffic-shift'
  | 'az-loss'
  | 'restore-verification'
  | 'backtrack-drill'
  | 'region-cut'
  | 'instance-termination'
  /** A game day's own record (`gameDayWorkflow`); its figures are on its child runs. */
  | 'gameday';

/** The versioned report every playbook returns and `gameday report` renders. */
export interface RunReport {
  readonly schemaVersion: 1;
  readonly workflowId: string;
  readonly runId: string;
  readonly scenario: Scenario;
  readonly service: string;
  readonly environment: string;
  readonly tier: Tier;
  readonly awsMode: 'real' | 'sim';
  /** Outcome of the run itself (not the verdict): `completed`, `aborted`, `halted`, `failed`. */
  readonly outcome: 'running' | 'completed' | 'aborted' | 'rejected' | 'halted' | 'failed';
  /** Which clock the report's times are on (absent in reports written before it existed). */
  readonly clock?: ReportClock;
  readonly outcomeReason?: string;
  readonly timeline: readonly TimelineEvent[];
  readonly measurement: Measurement;
  /** Scenario-specific details (mode, regions, experiment id, restored cluster, …). */
  readonly details: Readonly<Record<string, unknown>>;
  readonly notes: readonly string[];
}

/** Which clock a report's times are on, and how a person's time was counted. */
export interface ReportClock {
  /** `wall`: real AWS, times are wall-clock; `simulated`: the simulated AWS's clock at `scale`×. */
  readonly kind: 'wall' | 'simulated';
  /** Clock ms per wall ms (1 for wall). */
  readonly scale: number;
  /** Wall-clock epoch ms the run started (its first activity), whatever the clock. */
  readonly startedAtWall?: number;
  /** One line for people: what the times mean. */
  readonly note: string;
}
