/**
 * Contract of `trafficShiftWorkflow`: its result and the record of each applied step. The input
 * type and schema live in `activities/promotion/prepare-promotion.ts` (validated in the first
 * activity). Types only.
 */

/** One applied step of a traffic shift. */
export interface TrafficStepRecord {
  /** Percent of traffic the target region was given. */
  readonly percent: number;
  readonly weights: Readonly<Record<string, number>>;
  /** Clock ms the change was sent. */
  readonly appliedAt: number;
  /** Clock ms the change was seen INSYNC. */
  readonly insyncAt?: number;
  /** True when no health alarm fired during the hold. */
  readonly verified: boolean;
  readonly alarms: readonly { readonly alarmName: string; readonly stateValue: string }[];
}

/** How a traffic shift ended (`running` only in the answer of the `report` query while it goes). */
export type TrafficShiftOutcome = 'running' | 'completed' | 'rolled-back' | 'no-op' | 'aborted';

/** Result of `trafficShiftWorkflow`. */
export interface TrafficShiftReport {
  readonly workflowId: string;
  readonly runbook: string;
  readonly targetRegion: string;
  readonly outcome: TrafficShiftOutcome;
  /** Weights read before the first step. */
  readonly initialWeights?: Readonly<Record<string, number>>;
  readonly steps: readonly TrafficStepRecord[];
  /** Weights restored by a rollback or an abort. */
  readonly rolledBackTo?: Readonly<Record<string, number>>;
  /** Why the run rolled back, did nothing, or was aborted. */
  readonly reason?: string;
  /** The run's AWS API calls (absent: not counted; `awsCallsUncounted` > 0: a lower bound), see `lib/aws-call-count.ts`. */
  readonly resolution?: { readonly awsCalls?: number; readonly awsCallsUncounted?: number };
}
