/**
 * Contract of the region-cut scenario (`regionCutWorkflow`): a FIS experiment
 * (`aws:network:disrupt-connectivity`, scope `all`, on the entry-point subnets) cuts the primary
 * region's entry points (its load balancers stop answering), then the run measures how long until
 * the Route 53 health checks fail, DNS answers with the secondary and the health alarms fire, and
 * (when asked) chains a region promotion as a child. Input, workflow type name and result; the
 * game day (`gameDayWorkflow`) starts it as a child by `REGION_CUT_WORKFLOW_TYPE`. Also the plan
 * and step results its activities share. Types only, plus the type name and figure constants.
 */
import type { RunReport } from '../lib/measurement-types';
import type { FisTemplateDocument } from '../runbooks/fis-templates';
import type { Runbook } from '../runbooks/schema';
import type { PromotionMode } from './promotion';

/** Workflow type name, for `startChild` / `executeChild` by name and the Temporal UI. */
export const REGION_CUT_WORKFLOW_TYPE = 'regionCutWorkflow';

/**
 * Input of `regionCutWorkflow`. From the Temporal UI: `{"runbook":"payments-prod"}`. Every option
 * is validated field by field in the first activity (`prepareRegionCut`), before any AWS call;
 * defaults come from the runbook's `regionCut` section.
 */
export interface RegionCutInput {
  /** Runbook name (file stem in the worker's runbook folder), e.g. `payments-prod`. */
  readonly runbook: string;
  /** Region to cut. Must be the runbook's primary region and inside its blast radius. @default aurora.primaryRegion */
  readonly region?: string;
  /** ISO-8601 duration of the fault (the experiment is stopped earlier once measured). @default PT15M */
  readonly duration?: string;
  /** How long the three detections may take before the run fails, e.g. `10m`. @default 10m */
  readonly detectionTimeout?: string;
  /** Poll interval of the measurement, clock ms (the figures' resolution). @default 1000 */
  readonly pollIntervalMs?: number;
  /**
   * Chain a region promotion (`regionPromotionWorkflow` as a child) once DNS answers with the
   * secondary. @default runbook regionCut.promote, else no promotion
   */
  readonly promote?: { readonly mode: PromotionMode; readonly failback?: boolean };
  /** Who started the run, recorded in the report. */
  readonly requestedBy?: string;
}

/** Result of `regionCutWorkflow`: the kit's report (`scenario: 'region-cut'`). Figures in `measurement.components`. */
export type RegionCutResult = RunReport;

/**
 * Names of the figures a region-cut report carries in `measurement.components[].component`
 * (each measured from the fault taking effect, on the clock named by `RunReport.clock`).
 */
export const REGION_CUT_FIGURES = {
  healthChecksFailed: 'route53-health-checks-failed',
  dnsAnswersSecondary: 'dns-answers-secondary',
  alarmsFired: 'health-alarms-fired',
} as const;

/** Everything the run needs, resolved and validated by `prepareRegionCut` (no AWS call). */
export interface RegionCutPlan {
  readonly runbookName: string;
  readonly runbook: Runbook;
  readonly service: string;
  /** The region cut (the runbook's primary). */
  readonly region: string;
  /** The region DNS should answer with once the cut region's health checks fail. */
  readonly secondaryRegion: string;
  readonly account: string;
  /** The rendered, validated experiment template (tagged with the run, deleted by the run). */
  readonly template: { readonly name: string; readonly input: FisTemplateDocument };
  /** The template action that makes the cut (its start is the fault taking effect). */
  readonly cutActionName: string;
  readonly hostedZoneId: string;
  readonly recordName: string;
  /** Route 53 health checks of the cut region (all must fail). */
  readonly healthChecks: readonly string[];
  /** Health checks of the secondary region (must be healthy before the cut). */
  readonly secondaryHealthChecks: readonly string[];
  /** Health alarms of the cut region (all must fire). */
  readonly healthAlarms: readonly string[];
  readonly stopConditionAlarms: readonly string[];
  /** Entry-point load balancers of the cut region. */
  readonly loadBalancers: readonly string[];
  /** Targets of the figures, ms. */
  readonly targets: { readonly healthChecksFailMs: number; readonly dnsAnswersSecondaryMs: number; readonly alarmsFireMs: number };
  readonly detectionTimeoutMs: number;
  readonly pollIntervalMs: number;
  /** The chained promotion; `workflowId` is the one id a promotion of the global cluster may run under. */
  readonly promote?: { readonly mode: PromotionMode; readonly failback: boolean; readonly workflowId: string };
  readonly requestedBy?: string;
  readonly awsMode: 'real' | 'sim';
  /** Clock ms per wall ms of the activities' clock. */
  readonly clockScale: number;
  /** Wall epoch ms the plan was made. */
  readonly preparedAtWall: number;
}

/** Where the scenario's reads go. */
export interface RegionCutRef {
  readonly region: string;
  readonly account: string;
}

/** One steady-state check before the cut. */
export interface RegionCutCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly found: string;
}

/** The steady state before the cut, and the DNS values of each region's record. */
export interface RegionCutSteadyState {
  readonly ok: boolean;
  readonly checks: readonly RegionCutCheck[];
  /** Values (CNAME targets) of the record set of each region. */
  readonly valuesByRegion: Readonly<Record<string, readonly string[]>>;
  readonly at: number;
}

/** The template the run created (or found, created by an earlier attempt of the same run). */
export interface RegionCutTemplate {
  readonly id: string;
  readonly action: 'created' | 'found';
}

/** When the cut took effect: the cut action's start, as FIS reports it. */
export interface FaultInEffect {
  readonly experimentId: string;
  readonly actionName: string;
  /** Clock ms the action started (FIS `startTime`). */
  readonly at: number;
  readonly observedAt: number;
}

/**
 * One awaited observation (health checks failed, DNS answers the secondary, alarms fired, region
 * restored). The true moment lies in (previousReadAt, observedAt]: the resolution of the figure.
 */
export interface Detection {
  /** What was awaited, e.g. `health checks hc-payments-use1 unhealthy`. */
  readonly what: string;
  readonly observedAt?: number;
  /** Issue time of the last read that did not see it (undefined: the first read saw it). */
  readonly previousReadAt?: number;
  /** Clock ms of the first read. */
  readonly firstReadAt: number;
  readonly polls: number;
  /** What the last read saw. */
  readonly seen: string;
  /** Set when it was not seen within the timeout. */
  readonly timedOut?: string;
  /** Per item (health check, alarm) the first read that saw it, clock ms. */
  readonly items?: Readonly<Record<string, number>>;
}
