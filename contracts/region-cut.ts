/**
 * Contract of the region-cut scenario (`regionCutWorkflow`): a FIS experiment cuts the primary
 * region's entry points (its load balancers stop answering), then the run measures how long until
 * the Route 53 health checks fail, DNS answers with the secondary and the health alarms fire, and
 * (when asked) chains a region promotion as a child. Input, workflow type name and result; the
 * game day (`gameDayWorkflow`) starts it as a child by `REGION_CUT_WORKFLOW_TYPE`. Types only,
 * plus the type name constant.
 */
import type { RunReport } from '../lib/measurement-types';
import type { PromotionMode } from './promotion';

/** Workflow type name, for `startChild` / `executeChild` by name and the Temporal UI. */
export const REGION_CUT_WORKFLOW_TYPE = 'regionCutWorkflow';

/** The FIS action that makes the cut (aws-dr-api.md, FIS catalog). */
export type RegionCutAction =
  /** `aws:network:disrupt-connectivity` (scope `all`) on the region's entry-point subnets: its load balancers stop answering. */
  | 'disrupt-connectivity'
  /** `aws:network:route-table-disrupt-cross-region-connectivity` on the tagged subnets: the region is cut off from its peer. */
  | 'cross-region-connectivity';

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
  /** FIS action making the cut. @default runbook regionCut.action, else `disrupt-connectivity` */
  readonly action?: RegionCutAction;
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
