/**
 * Contract of the game day (`gameDayWorkflow`): its input, the resolved plan its first activity
 * returns, how each scenario kind is dispatched (workflow type and child input), the human
 * checkpoints and the controls a person sends to a running day. Types and message definitions
 * only; the zod schema of the plan file is `runbooks/gameday-schema.ts`.
 *
 * Region cut and instance termination are built as their own playbooks (`regionCutWorkflow`,
 * `instanceTerminationWorkflow`, contracts `contracts/region-cut.ts` and
 * `contracts/instance-termination.ts`); the game day sends them the `RegionCutChildInput` /
 * `InstanceTerminationChildInput` parts of those inputs.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Scorecard } from '../lib/scorecard';
import type { InstanceTerminationInput } from './instance-termination';
import type { RegionCutInput } from './region-cut';
import type { RecoveryTargets, Tier } from '../lib/tiers';

/**
 * Input of `gameDayWorkflow`, small enough for the Temporal UI's Start Workflow form:
 * `{"plan":"payments-q4"}` (a plan file stem in the worker's `runbooks/gamedays/` folder).
 */
export interface GameDayInput {
  /** Plan name (file stem in the worker's game-day folder), or the label of `planYaml`. */
  readonly plan: string;
  /** Plan YAML text (the CLI sends a local file); `plan` then only labels it. */
  readonly planYaml?: string;
}

/** The scenario kinds a plan may name, in the order a typical day runs them. */
export type ScenarioKind =
  'preflight' | 'az-loss' | 'region-cut' | 'instance-termination' | 'region-promotion' | 'restore-verification' | 'backtrack-drill';

/** Workflow type of each scenario kind: the game day starts it as a child by this name. */
export const SCENARIO_WORKFLOW: Readonly<Record<ScenarioKind, string>> = {
  preflight: 'preflightWorkflow',
  'az-loss': 'azLossGameDayWorkflow',
  'region-cut': 'regionCutWorkflow',
  'instance-termination': 'instanceTerminationWorkflow',
  'region-promotion': 'regionPromotionWorkflow',
  'restore-verification': 'restoreVerificationWorkflow',
  'backtrack-drill': 'backtrackDrillWorkflow',
};

/**
 * Child input the game day sends `regionCutWorkflow`: cut the runbook's primary region (or `region`) off for
 * `duration` and measure health checks, DNS and alarms.
 */
export type RegionCutChildInput = Pick<RegionCutInput, 'runbook' | 'region' | 'duration'>;

/**
 * Child input the game day sends `instanceTerminationWorkflow`: terminate `percent` % of an Auto Scaling group's
 * instances and measure until it is back at desired healthy capacity.
 */
export type InstanceTerminationChildInput = Pick<InstanceTerminationInput, 'runbook' | 'autoScalingGroup' | 'percent'>;

/** What a team expects of a scenario, as figures (and words). A figure left out is not judged. */
export interface Hypothesis {
  /** In words, e.g. `RTO < 1 min, RPO 0`. */
  readonly text: string;
  /** The measured RTO is at most this, ms. */
  readonly rtoMaxMs?: number;
  /** The measured RPO is at most this, ms. */
  readonly rpoMaxMs?: number;
  /** The run's own verdict (figures against the runbook's targets) is this. */
  readonly verdict?: 'pass' | 'fail';
  /** Preflight: the service is ready. */
  readonly ready?: boolean;
}

/** One scenario of a resolved plan: what to start, with what input, judged against what. */
export interface PlannedScenario {
  /** Unique in the plan, e.g. `az-loss`; names the step and the child id. */
  readonly id: string;
  readonly kind: ScenarioKind;
  readonly workflowType: string;
  /** Runbook name the scenario works on. */
  readonly runbook: string;
  readonly service: string;
  readonly environment: string;
  readonly tier: Tier;
  /** The runbook's recovery targets (tier with overrides), ms. */
  readonly targets: RecoveryTargets;
  /** The child's input. */
  readonly input: Readonly<Record<string, unknown>>;
  /**
   * A workflow id the playbook itself requires (a promotion runs as `promote-<globalClusterId>`
   * so a second concurrent promotion of the same database is refused); else the child id is
   * derived from the game day's id.
   */
  readonly requiredWorkflowId?: string;
  readonly hypothesis: Hypothesis;
  /** The day goes on after this scenario fails. */
  readonly continueOnFailure: boolean;
}

/** Which human timing a checkpoint measures. */
export type HumanTiming = 'time-to-alert' | 'time-to-acknowledge' | 'time-to-act';

/** A human checkpoint of a resolved plan. */
export interface PlannedCheckpoint {
  /** Unique name, e.g. `alert-paged`; the answer names it. */
  readonly name: string;
  /** The question put to people, e.g. `Did the 5xx alarm page the on-call?`. */
  readonly prompt: string;
  /** Who may answer (participant names, roles expanded); empty = anyone. */
  readonly who: readonly string[];
  /** Wall-clock timeout, ms (never scaled by a simulated clock). */
  readonly timeoutMs: number;
  /** Scenario id after which it opens. */
  readonly after: string;
  /** The timing it measures (from the start of `after`), if any. */
  readonly measures?: HumanTiming;
}

/** One participant of the day. */
export interface Participant {
  readonly name: string;
  readonly role: string;
}

/** The validated plan with its runbooks resolved (returned by `loadGameDayPlan`). */
export interface GameDayPlan {
  readonly name: string;
  readonly title: string;
  readonly runbooks: readonly string[];
  readonly participants: readonly Participant[];
  readonly scenarios: readonly PlannedScenario[];
  readonly checkpoints: readonly PlannedCheckpoint[];
  readonly awsMode: 'real' | 'sim';
  /** Clock ms per wall ms of the activities' clock (1 on real AWS). */
  readonly clockScale: number;
}

/** A clock reading of the activities' clock and the wall clock at the same instant. */
export interface Stamp {
  /** Activities' clock ms (simulated in a rehearsal). */
  readonly at: number;
  /** Wall-clock epoch ms. */
  readonly wallAt: number;
}

/** Payload of `answerCheckpointUpdate`. */
export interface CheckpointAnswer {
  /** Checkpoint name. */
  readonly checkpoint: string;
  /** Who answers; must be allowed by the checkpoint. */
  readonly by: string;
  /** Did it work (the alert fired, the runbook was found…)? */
  readonly ok: boolean;
  /** When it happened, ISO 8601 (e.g. when the page arrived); default: when the answer arrives. */
  readonly at?: string;
  readonly note?: string;
}

/** What `answerCheckpointUpdate` returns once accepted. */
export interface CheckpointAccepted {
  readonly checkpoint: string;
  readonly by: string;
}

/** Payload of the scenario controls (skip / abort the current scenario, pause / resume the day). */
export interface ControlRequest {
  readonly by: string;
  readonly reason?: string;
}

/** Answer of a control update. */
export interface ControlAnswer {
  readonly accepted: boolean;
  /** What the control did, in words. */
  readonly detail: string;
}

/**
 * Answers an open human checkpoint (Temporal UI: Send Update `answerCheckpoint`, payload
 * `{"checkpoint":"alert-paged","by":"bob","ok":true}`; CLI `gameday checkpoint`). The validator
 * refuses, recording nothing, when that checkpoint is not open or `by` may not answer it.
 */
export const answerCheckpointUpdate = defineUpdate<CheckpointAccepted, [CheckpointAnswer]>('answerCheckpoint');

/** Holds the day before its next scenario (the current one runs to its end). */
export const pauseGameDayUpdate = defineUpdate<ControlAnswer, [ControlRequest]>('pauseGameDay');

/** Lets a paused day go on. */
export const resumeGameDayUpdate = defineUpdate<ControlAnswer, [ControlRequest]>('resumeGameDay');

/**
 * Skips the current scenario: a running child is asked to abort (its own undo cleans up) and the
 * scenario is recorded `skipped`; while paused between scenarios, the next one is not run.
 */
export const skipScenarioUpdate = defineUpdate<ControlAnswer, [ControlRequest]>('skipScenario');

/**
 * Aborts the current scenario: the child is asked to abort (its own undo cleans up; refused by
 * the child after its point of no return) and the scenario is recorded `aborted`; the day goes on
 * only when the scenario has `continueOnFailure`.
 */
export const abortScenarioUpdate = defineUpdate<ControlAnswer, [ControlRequest]>('abortScenario');

/** The game day's scorecard so far (the final one once the day ended); the run kit's `report` query. */
export const scorecardQuery = defineQuery<Scorecard | undefined>('report');
