/**
 * Contract of `backtrackDrillWorkflow`: its input (validated by the zod schema in
 * `activities/restore/input.ts`, in the first activity), its plan and what its steps return.
 * Types only; times are epoch ms by the activity clock.
 */
import type { CanaryTarget } from '../activities/canary/canary-store';
import type { DrillContext } from './drill';
import type { CanaryAck } from '../lib/measurement-types';

/** Input of `backtrackDrillWorkflow`. */
export interface BacktrackDrillInput {
  /** Runbook name or file path; its Aurora cluster must be Aurora MySQL with Backtrack on. */
  readonly runbook: string;
  /** Runbook YAML text (the CLI sends a local file); `runbook` is then its label. */
  readonly runbookYaml?: string;
}

/** Everything a Backtrack drill needs, resolved by `prepareBacktrackDrill`. */
export interface BacktrackPlan extends DrillContext {
  readonly canary: CanaryTarget;
  readonly markerRunId: string;
  readonly backtrackWindowMs: number;
  readonly waitTimeoutMs: number;
}

/** Marker written before T; `backtrackTo` is T (clock time after the marker's ack). */
export interface BacktrackPoint {
  readonly marker: CanaryAck;
  readonly backtrackTo: number;
}

/** An accepted backtrack. */
export interface BacktrackStarted {
  readonly backtrackIdentifier: string;
  readonly startedAt: number;
  /** Actual point chosen by Aurora (nearest consistent time). */
  readonly backtrackTo: number;
  readonly alreadyExisted: boolean;
}
