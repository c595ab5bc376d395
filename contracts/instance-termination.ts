/**
 * Contract of the instance-termination scenario ("Chaos Monkey", `instanceTerminationWorkflow`):
 * terminate a share of an Auto Scaling group's instances inside the blast radius, then measure how
 * long until the group is back at its desired healthy capacity, its target group is healthy and
 * the service alarm is OK. Input, workflow type name and result; the game day
 * (`gameDayWorkflow`) starts it as a child by `INSTANCE_TERMINATION_WORKFLOW_TYPE`. Also the
 * plan and step results its activities share. Types only, plus the type name and figure constants.
 */
import type { RunReport } from '../lib/measurement-types';
import type { Runbook } from '../runbooks/schema';
import type { Detection } from './region-cut';

/** Workflow type name, for `startChild` / `executeChild` by name and the Temporal UI. */
export const INSTANCE_TERMINATION_WORKFLOW_TYPE = 'instanceTerminationWorkflow';

/**
 * Input of `instanceTerminationWorkflow`. From the Temporal UI:
 * `{"runbook":"payments-prod","percent":34}`. Validated field by field in the first activity
 * (`prepareInstanceTermination`), before any AWS call; defaults come from the runbook's
 * `instanceTermination` section. Give `percent` or `count`, not both.
 */
export interface InstanceTerminationInput {
  /** Runbook name (file stem in the worker's runbook folder), e.g. `payments-prod`. */
  readonly runbook: string;
  /** Auto Scaling group; must be one of the runbook's `fis.autoScalingGroups`. @default runbook instanceTermination.autoScalingGroup */
  readonly autoScalingGroup?: string;
  /** Share of the group's in-service instances to terminate, 1–100 (rounded up to at least one instance). */
  readonly percent?: number;
  /** Number of in-service instances to terminate (at most the group's desired capacity). */
  readonly count?: number;
  /** How long recovery may take before the run fails, e.g. `15m`. @default 15m */
  readonly recoveryTimeout?: string;
  /** Poll interval of the measurement, clock ms (the figures' resolution). @default 1000 */
  readonly pollIntervalMs?: number;
  /** Who started the run, recorded in the report. */
  readonly requestedBy?: string;
}

/** Result of `instanceTerminationWorkflow`: the kit's report (`scenario: 'instance-termination'`). */
export type InstanceTerminationResult = RunReport;

/**
 * Names of the figures an instance-termination report carries in
 * `measurement.components[].component` (each measured from the termination call, on the clock
 * named by `RunReport.clock`). The RTO is the last of the three.
 */
export const INSTANCE_TERMINATION_FIGURES = {
  capacityRestored: 'asg-desired-healthy-capacity',
  targetGroupHealthy: 'target-group-healthy',
  serviceAlarmOk: 'service-alarm-ok',
} as const;

/** Everything the run needs, resolved and validated by `prepareInstanceTermination` (no AWS call). */
export interface InstanceTerminationPlan {
  readonly runbookName: string;
  readonly runbook: Runbook;
  readonly service: string;
  /** Region of the group (the runbook's primary). */
  readonly region: string;
  readonly account: string;
  readonly autoScalingGroup: string;
  /** The share asked for: `{percent}` or `{count}`. */
  readonly share: { readonly percent: number } | { readonly count: number };
  readonly targetGroupArn: string;
  readonly serviceAlarm: string;
  /** Tags every terminated instance must carry (blastRadius.requiredTags and fis.targetTag). */
  readonly requiredTags: Readonly<Record<string, string>>;
  /** Targets of the figures, ms. */
  readonly targets: { readonly capacityRestoredMs: number; readonly targetGroupHealthyMs: number; readonly serviceAlarmOkMs: number };
  readonly recoveryTimeoutMs: number;
  readonly alarmFireTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly requestedBy?: string;
  readonly awsMode: 'real' | 'sim';
  readonly clockScale: number;
  readonly preparedAtWall: number;
}

/** The steady state before the termination. */
export interface TerminationSteadyState {
  readonly ok: boolean;
  readonly checks: readonly { readonly name: string; readonly ok: boolean; readonly found: string }[];
  readonly desiredCapacity: number;
  readonly at: number;
}

/** The instances chosen to terminate (deterministic per run), and the group they were chosen from. */
export interface TerminationSelection {
  readonly instanceIds: readonly string[];
  /** In-service, healthy instances carrying the required tags. */
  readonly eligible: readonly string[];
  readonly desiredCapacity: number;
}

/** What the termination call did. */
export interface TerminationDone {
  readonly instanceIds: readonly string[];
  /** Clock ms the TerminateInstances call was issued (the fault). */
  readonly at: number;
  /** Clock ms it returned. */
  readonly returnedAt: number;
  /** Instances already shutting down or terminated when read first (not terminated again). */
  readonly alreadyGone: readonly string[];
}

/** The service alarm's course after the termination: when it fired, when it was OK again. */
export interface ServiceAlarmCourse {
  readonly alarm: string;
  /** Fired (first ALARM read), or why not. */
  readonly fired: Detection;
  /** OK again after it fired (absent when it never fired). */
  readonly ok?: Detection;
}
