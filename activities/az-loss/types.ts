/**
 * Shapes exchanged between the az-loss / fis-templates workflows and their activities. Pure types:
 * workflows import them with `import type`.
 */
import type { FisExperimentTemplateInput } from '../aws/ports';
import type { RenderedFisTemplate } from '../../runbooks/fis-templates';
import type { Runbook } from '../../runbooks/schema';
import type { RecoveryTargets } from '../../lib/tiers';

/**
 * Input of `azLossGameDayWorkflow`. From the Temporal UI: `{"runbook":"payments-prod","az":"us-east-1a"}`.
 * Validated field by field in the first activity (`prepareAzLoss`).
 */
export interface AzLossInput {
  /** Runbook name (file stem in the worker's runbook folder), or the label of `runbookYaml`. */
  readonly runbook?: string;
  /** Runbook YAML text (`gameday run az-loss --runbook ./file.yaml` sends the file). */
  readonly runbookYaml?: string;
  /** The AZ to lose, e.g. `us-east-1a`. */
  readonly az: string;
  /** Library template to run. @default az-power-interruption */
  readonly template?: string;
  /** ISO-8601 fault duration. @default PT30M */
  readonly duration?: string;
  /** How long recovery may take before the run fails, e.g. `15m`. @default 15m */
  readonly recoveryTimeout?: string;
  /** Poll interval of the recovery watches, clock ms (the RTO resolution). @default 1000 */
  readonly pollIntervalMs?: number;
}

/** One component the AZ loss may impair, watched until it serves again. */
export type AzComponent =
  | { readonly kind: 'aurora'; readonly id: string; readonly clusterId: string }
  | { readonly kind: 'elasticache'; readonly id: string; readonly replicationGroupId: string }
  | { readonly kind: 'ec2'; readonly id: string; readonly autoScalingGroup: string };

/** Everything the workflow needs, resolved and validated by `prepareAzLoss`. */
export interface AzLossPlan {
  /** Runbook name (`payments-prod`) for canary and evidence. */
  readonly runbookName: string;
  /** True when the runbook is a file in the worker's runbook folder (the canary loads it by name). */
  readonly runbookByName: boolean;
  readonly runbook: Runbook;
  readonly az: string;
  readonly region: string;
  readonly account: string;
  readonly targets: RecoveryTargets;
  readonly template: RenderedFisTemplate;
  readonly components: readonly AzComponent[];
  /** Stop-condition alarm names (runbook alarms.stopConditions). */
  readonly stopConditionAlarms: readonly string[];
  /** Health alarms of the region (runbook alarms.health[region]). */
  readonly healthAlarms: readonly string[];
  readonly recoveryTimeoutMs: number;
  readonly pollIntervalMs: number;
  /** Whether the worker talks to real AWS or the simulated AWS. */
  readonly awsMode: 'real' | 'sim';
}

/** One steady-state check. */
export interface SteadyStateCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly expected: string;
  readonly found: string;
}

/** The steady state before the fault, and who is in the AZ. */
export interface SteadyState {
  readonly ok: boolean;
  readonly checks: readonly SteadyStateCheck[];
  /** Components whose writer/primary is in the AZ (the ones the fault impairs). */
  readonly inAz: readonly string[];
  readonly at: number;
}

/** Where a deployed template stands against the rendered one. */
export interface FisTemplateLookup {
  readonly name: string;
  readonly region: string;
  /** Deployed template id, when one carries our tags. */
  readonly id?: string;
  /** `diffFisTemplates(rendered, deployed)`; every line of a new template when none is deployed. */
  readonly differences: readonly string[];
}

/** Outcome of applying one template. */
export interface FisTemplateApplied {
  readonly name: string;
  readonly region: string;
  readonly id: string;
  readonly action: 'created' | 'updated' | 'unchanged';
}

/** Target of FIS calls. */
export interface FisRef {
  readonly region: string;
  readonly account: string;
}

/** A started experiment. */
export interface StartedExperiment {
  readonly experimentId: string;
  readonly status: string;
  /** When the fault began (experiment startTime, or the clock when absent). */
  readonly startedAt: number;
  /** Start time of each action, by action name, when FIS reported it. */
  readonly actionStarts: Readonly<Record<string, number>>;
}

/** How an experiment ended. */
export interface ExperimentEnd {
  readonly experimentId: string;
  /** Terminal status: `completed | stopped | failed | cancelled`. */
  readonly status: string;
  readonly reason?: string;
  readonly endedAt: number;
  /** Stop-condition alarms in ALARM when it ended (empty unless a stop condition fired). */
  readonly firedAlarms: readonly string[];
  /** True when a stop condition halted it. */
  readonly haltedByStopCondition: boolean;
  readonly actionStarts: Readonly<Record<string, number>>;
}

/** Which workflow run a recovery watch signals once armed (`watchArmedSignal`). */
export interface WatchNotify {
  readonly workflowId: string;
  readonly runId: string;
}

/**
 * What a recovery watch observed. The true recovery lies in `recoveredWindow`
 * (previousReadAt, observedAt]: the measurement's actual resolution (one poll interval, wider only
 * when a retry of the watch left a gap, which `attempts` > 1 reveals).
 */
export interface WatchObservation {
  /** Polls over every attempt, the baseline included. */
  readonly polls: number;
  /** Clock time of the baseline read (before the fault). */
  readonly firstReadAt: number;
  /** What the baseline read saw. */
  readonly baseline: string;
  /** What the last read saw. */
  readonly last: string;
  /** First read that saw the thing impaired, if any. */
  readonly detectedAt?: number;
  /** Set when it recovered. */
  readonly recoveredWindow?: { readonly previousReadAt: number; readonly observedAt: number };
  /** Activity attempts the watch ran over (> 1 = resumed from a heartbeat checkpoint). */
  readonly attempts: number;
  /** Set when it did not recover in time or was not measurable (already recovered at the baseline). */
  readonly note?: string;
}

/** Result of one component watch (`watchComponentRecovery`). */
export interface ComponentWatchResult extends WatchObservation {
  readonly component: string;
}

/** Result of the app-healthy watch (`watchServiceHealth`): data path serving and health alarms OK. */
export type ServiceWatchResult = WatchObservation;

/**
 * Heartbeat checkpoint of a recovery watch: a retried attempt resumes from it (keeps its baseline,
 * the instances it saw lost and its last read time) instead of starting blind after the fault.
 */
export interface WatchCheckpoint {
  readonly v: 1;
  /** Component id or `service`. */
  readonly watch: string;
  readonly firstReadAt: number;
  readonly baseline: string;
  /** True once the `watchArmed` signal was sent. */
  readonly armed: boolean;
  readonly lastReadAt: number;
  readonly polls: number;
  readonly last: string;
  readonly detectedAt?: number;
  readonly attempts: number;
  /** EC2: instances listed in the AZ by the first read. */
  readonly firstInAz?: readonly string[];
  /** EC2: instances of the AZ seen stopped, unhealthy or gone. */
  readonly lost?: readonly string[];
}

/** Input of `prepareFisTemplates`. */
export interface FisTemplatesInput {
  readonly runbook?: string;
  readonly runbookYaml?: string;
  readonly az: string;
  /** Template names; default: the runbook's fis.templates, else every template that applies. */
  readonly templates?: readonly string[];
  readonly duration?: string;
  /** `diff` only reads; `apply` creates or updates. @default apply */
  readonly mode?: 'diff' | 'apply';
}

/** A rendered template plus where to put it. */
export interface PreparedFisTemplate {
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly input: FisExperimentTemplateInput;
}
