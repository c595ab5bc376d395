/**
 * Contract of the AZ-loss game day (`azLossGameDayWorkflow`): its input, the plan its first
 * activity resolves, and what each of its activities returns (steady state, FIS experiment,
 * recovery-watch baselines and observations). Types only: workflows, activities, `lib/` findings
 * and the CLI import them; nothing here imports upward.
 */
import type { RenderedFisTemplate } from '../runbooks/fis-templates';
import type { Runbook } from '../runbooks/schema';
import type { RecoveryTargets } from '../lib/tiers';

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

/** Target of FIS (and the other regional) calls. */
export interface FisRef {
  readonly region: string;
  readonly account: string;
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
  /** Components whose writer/primary (or an InService instance) is in the AZ: the ones the fault impairs. */
  readonly inAz: readonly string[];
  readonly at: number;
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

/** An experiment as `getFisExperiment` reads it. */
export interface ExperimentState {
  readonly status: string;
  readonly reason?: string;
  readonly actionStarts: Readonly<Record<string, number>>;
}

/** How an experiment ended on its own (`awaitFisExperimentEnd`). */
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

/** What `stopFisExperiment` left behind: the experiment's terminal state. */
export interface StoppedExperiment {
  readonly status: string;
  readonly reason?: string;
  /** True when gameday sent the stop (false: it had already ended, e.g. by a stop condition). */
  readonly stoppedByUs: boolean;
  readonly endedAt: number;
}

/** What a recovery watch watches: one component, or the service's data path with its health alarms. */
export type WatchSpec =
  | {
      readonly kind: 'component';
      readonly component: AzComponent;
      /** Action name → actionId of the template (whether the template takes the AZ away from a group). */
      readonly templateActions: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'service';
      /** The data path: components (Aurora, ElastiCache) that must serve outside the AZ. */
      readonly components: readonly AzComponent[];
      /** Health alarms of the region; all must be OK. */
      readonly alarms: readonly string[];
    };

/** Input of `armRecoveryWatch`: the baseline read of one watch, before the fault. */
export interface ArmWatchInput extends FisRef {
  readonly az: string;
  readonly spec: WatchSpec;
}

/**
 * The read a watch makes before the fault (`armRecoveryWatch`): what it saw, and what the watch
 * carries from it (the AZ's instances of a group), so the watch started with it always has a read
 * before the fault and before the recovery.
 */
export interface WatchBaseline {
  /** Component id, or `service` for the app-healthy watch. */
  readonly watch: string;
  /** Clock ms of the read. */
  readonly at: number;
  /** What it saw, e.g. `available, writer payments-use1-a in us-east-1a`. */
  readonly seen: string;
  /** True when the thing already serves outside the AZ: its recovery cannot be measured. */
  readonly ok: boolean;
  /** EC2: instances of the group in the AZ. */
  readonly firstInAz?: readonly string[];
  /** EC2: instances of the AZ already stopped, unhealthy or gone. */
  readonly lost?: readonly string[];
}

/** Input of `watchComponentRecovery`. */
export interface WatchComponentInput extends FisRef {
  readonly az: string;
  readonly component: AzComponent;
  /** Action name → actionId of the template. */
  readonly templateActions: Readonly<Record<string, string>>;
  /** Budget of each phase, clock ms: to be seen impaired (from the baseline), then to recover. */
  readonly timeoutMs: number;
  /** Poll interval, clock ms: the resolution of the observed recovery. */
  readonly pollIntervalMs: number;
  /** The read before the fault (`armRecoveryWatch`); the watch continues from it. */
  readonly baseline: WatchBaseline;
}

/** Input of the app-healthy watch (`watchServiceHealth`). */
export interface WatchServiceInput extends FisRef {
  readonly az: string;
  /** The data path: components (Aurora, ElastiCache) that must serve outside the AZ. */
  readonly components: readonly AzComponent[];
  /** Health alarms of the region; all must be OK. */
  readonly alarms: readonly string[];
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly baseline: WatchBaseline;
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
  /** Set when it did not recover in time. */
  readonly note?: string;
}

/** Result of one component watch (`watchComponentRecovery`). */
export interface ComponentWatchResult extends WatchObservation {
  readonly component: string;
}

/** Result of the app-healthy watch (`watchServiceHealth`): data path serving and health alarms OK. */
export type ServiceWatchResult = WatchObservation;

/** First read with every health alarm OK (`awaitHealthAlarmsOk`). */
export interface HealthAlarmsOk {
  readonly observedAt: number;
  readonly previousReadAt?: number;
  /** `name=STATE, …` of that read. */
  readonly states: string;
}

/** How the wait after the fault ended. */
export type RecoveryOutcome =
  | {
      readonly kind: 'recovered';
      readonly watches: readonly ComponentWatchResult[];
      /** The app-healthy watch (data path + health alarms), when a data-path component is impaired. */
      readonly service?: ServiceWatchResult;
      /** Health alarms OK after the fault, when no data-path component is impaired. */
      readonly alarmsOk?: HealthAlarmsOk;
      /** Action start times read after recovery (the `component-impaired` times). */
      readonly actionStarts: Readonly<Record<string, number>>;
      /** Set when the experiment completed on its own before every watch recovered. */
      readonly experimentCompletedAt?: number;
    }
  | { readonly kind: 'ended'; readonly end: ExperimentEnd };
