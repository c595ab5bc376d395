/**
 * The findings of an AZ-loss game day, from what its activities observed: which components are
 * watched (and why the others are not), the timeline events, notes and details of the recovery,
 * how the run ends, and the `RunReport`. Pure and deterministic: the workflow keeps the raw
 * activity results (`AzLossObserved`) and asks this module what they mean.
 *
 * What is measured
 * - RTO (service downtime) = `fault-injected` → `app-healthy`: the data path (Aurora writer,
 *   ElastiCache primaries the template impairs) serving outside the AZ with the region's health
 *   alarms OK, in one poll (`watchServiceHealth`). Without an impaired data-path component,
 *   `app-healthy` is the first read after the fault with every health alarm OK.
 * - Per component, `component-impaired` (FIS action start) → `component-recovered`, each judged
 *   against the AZ target with its own verdict and a label: Aurora "writer moved out of <az>",
 *   ElastiCache "primary moved out of <az>", Auto Scaling group "capacity restored, not service
 *   downtime". The service verdict is the service's figures (RTO, RPO) only.
 * - Resolution: each watch continues from a baseline read made before the fault, so every
 *   recovery lies in (previous read, observed read]: one poll interval.
 */
import type {
  AzComponent,
  AzLossInput,
  AzLossPlan,
  RecoveryOutcome,
  StartedExperiment,
  SteadyState,
  StoppedExperiment,
  WatchBaseline,
  WatchObservation,
  WatchSpec,
} from '../contracts/az-loss';
import type { FisTemplateApplied } from '../contracts/fis-templates';
import type { RunReport, TimelineEvent } from './measurement-types';
import { measure, type CanaryMeasurementInput } from './timeline';
import { reportHead } from './report-head';

/** FIS action ids that impair each component kind (to find the action's start time). */
const ACTIONS_BY_KIND: Readonly<Record<AzComponent['kind'], readonly string[]>> = {
  aurora: ['aws:rds:failover-db-cluster', 'aws:rds:reboot-db-instances'],
  elasticache: ['aws:elasticache:replicationgroup-interrupt-az-power'],
  ec2: ['aws:ec2:stop-instances'],
};

/**
 * FIS action ids that impair each component kind: its own actions plus an AZ-wide network
 * disruption (which isolates a writer/primary in the AZ). A component whose kind no template
 * action impairs is not watched (its recovery would never come), and the report says so.
 */
const IMPAIRED_BY_KIND: Readonly<Record<AzComponent['kind'], readonly string[]>> = {
  aurora: [...ACTIONS_BY_KIND.aurora, 'aws:network:disrupt-connectivity'],
  elasticache: [...ACTIONS_BY_KIND.elasticache, 'aws:elasticache:interrupt-cluster-az-power', 'aws:network:disrupt-connectivity'],
  ec2: ACTIONS_BY_KIND.ec2,
};

/** What a component's own figure measures, shown next to it in the report. */
export function componentLabel(c: AzComponent, az: string): string {
  switch (c.kind) {
    case 'aurora':
      return `writer moved out of ${az}`;
    case 'elasticache':
      return `primary moved out of ${az}`;
    case 'ec2':
      return 'capacity restored, not service downtime';
  }
}

/** Action name → action id of the plan's template. */
export function templateActionsOf(plan: AzLossPlan): Record<string, string> {
  return Object.fromEntries(Object.entries(plan.template.input.actions).map(([name, a]) => [name, a.actionId]));
}

/** Which components are watched, the service's data path, and why the others are not watched. */
export interface WatchPlan {
  readonly watched: readonly AzComponent[];
  /** Watched components the service needs to serve (not instance capacity). */
  readonly dataPath: readonly AzComponent[];
  /** One spec per watch to arm: every watched component, then the service when it has a data path. */
  readonly specs: readonly WatchSpec[];
  readonly notes: readonly string[];
}

/** A component is watched when it is in the AZ and the template has an action that impairs its kind. */
export function planWatches(plan: AzLossPlan, steady: SteadyState): WatchPlan {
  const templateActions = templateActionsOf(plan);
  const ids = Object.values(templateActions);
  const impairs = (kind: AzComponent['kind']): boolean => ids.some((id) => IMPAIRED_BY_KIND[kind].includes(id));
  const notes: string[] = [];
  for (const c of plan.components) {
    const ec2 = c.kind === 'ec2';
    if (!steady.inAz.includes(c.id)) {
      notes.push(
        ec2
          ? `${c.id}: instance replacement not measured: no InService instance of the group was in ${plan.az} before the fault`
          : `${c.id}: not impaired, its writer/primary was outside ${plan.az} before the fault`,
      );
    } else if (!impairs(c.kind)) {
      notes.push(
        ec2
          ? `${c.id}: instance replacement not measured: template ${plan.template.name} stops no instances (no ${IMPAIRED_BY_KIND.ec2.join(', ')} action)`
          : `${c.id}: not impaired, template ${plan.template.name} has no action on it (${IMPAIRED_BY_KIND[c.kind].join(', ')})`,
      );
    }
  }
  const watched = plan.components.filter((c) => steady.inAz.includes(c.id) && impairs(c.kind));
  // Instance capacity (ec2) is not on the data path: the group's instances in other AZs keep serving.
  const dataPath = watched.filter((c) => c.kind !== 'ec2');
  const specs: WatchSpec[] = [
    ...watched.map((component): WatchSpec => ({ kind: 'component', component, templateActions })),
    ...(dataPath.length > 0 ? [{ kind: 'service' as const, components: dataPath, alarms: plan.healthAlarms }] : []),
  ];
  return { watched, dataPath, specs, notes };
}

/** Why the steady state forbids the fault, or undefined when it holds. */
export function steadyStateFailure(steady: SteadyState): string | undefined {
  if (steady.ok) return undefined;
  const failed = steady.checks.filter((c) => !c.ok).map((c) => `${c.name}: expected ${c.expected}, found ${c.found}`);
  return `steady state not met, no fault injected: ${failed.join('; ')}`;
}

/** How a run whose steps finished ends: `completed`, or `halted` by FIS before recovery. */
export interface AzLossEnding {
  readonly outcome: 'completed' | 'halted';
  readonly reason?: string;
}

/**
 * How the wait after the fault ends the run: an ending, or a failure reason (the experiment
 * failed, or something did not recover within the recovery timeout).
 */
export function recoveryEnding(
  r: RecoveryOutcome,
  plan: AzLossPlan,
): AzLossEnding | { readonly failure: string; readonly type: 'NotRecovered' | 'FisExperimentFailed' } {
  if (r.kind === 'ended') {
    const e = r.end;
    if (e.haltedByStopCondition) {
      return { outcome: 'halted', reason: `stop condition fired: ${e.firedAlarms.join(', ')}${e.reason ? ` (FIS: ${e.reason})` : ''}` };
    }
    const why = `FIS experiment ended ${e.status} before recovery was verified${e.reason ? `: ${e.reason}` : ''}`;
    return e.status === 'stopped' ? { outcome: 'halted', reason: why } : { failure: why, type: 'FisExperimentFailed' };
  }
  const notRecovered = [...r.watches.filter((w) => !w.recoveredWindow).map((w) => w.component)];
  if (r.service && !r.service.recoveredWindow) notRecovered.push('service');
  if (notRecovered.length > 0) {
    const failure = `did not recover within the recovery timeout (${plan.recoveryTimeoutMs / 1000} s): ${notRecovered.join(', ')}`;
    return { failure, type: 'NotRecovered' };
  }
  return { outcome: 'completed' };
}

/** Everything an AZ-loss run observed so far: raw activity results, in the order they came. */
export interface AzLossObserved {
  plan?: AzLossPlan;
  steady?: SteadyState;
  template?: FisTemplateApplied;
  /** First canary write before the fault (the RPO baseline), when the canary runs. */
  canaryFirstWrite?: { readonly ok: boolean; readonly at: number; readonly detail: string };
  baselines?: readonly WatchBaseline[];
  experiment?: StartedExperiment;
  recovery?: RecoveryOutcome;
  stopped?: StoppedExperiment;
  /** Why the experiment could not be stopped (the run then fails loudly). */
  stopFailure?: string;
  canary?: CanaryMeasurementInput;
  /** What happened to the canary rows. */
  canaryCleanup?: string;
}

/** One watch's observation as the report details show it. */
function windowOf(w: WatchObservation): Record<string, unknown> {
  return {
    polls: w.polls,
    attempts: w.attempts,
    baseline: { at: w.firstReadAt, seen: w.baseline },
    ...(w.recoveredWindow ? { recoveredWindow: w.recoveredWindow } : {}),
    ...(w.note ? { note: w.note } : {}),
  };
}

/** Findings as they accumulate: timeline events, notes, details, the widest recovery window. */
interface Findings {
  readonly timeline: TimelineEvent[];
  readonly notes: string[];
  readonly details: Record<string, unknown>;
  widest: number;
}

/** Notes a watch's window (for the resolution note) and its note. */
function seen(f: Findings, w: WatchObservation): void {
  if (w.recoveredWindow) f.widest = Math.max(f.widest, w.recoveredWindow.observedAt - w.recoveredWindow.previousReadAt);
  if (w.note) f.notes.push(w.note);
}

type Recovered = Extract<RecoveryOutcome, { kind: 'recovered' }>;

/** Per component: impaired (FIS action start), detected, recovered; its details and retry notes. */
function componentFindings(plan: AzLossPlan, watches: WatchPlan, exp: StartedExperiment, r: Recovered, f: Findings): void {
  const az = plan.az;
  const actions = templateActionsOf(plan);
  const startOf = (kind: AzComponent['kind']): number => {
    const starts = Object.entries(r.actionStarts)
      .filter(([name]) => ACTIONS_BY_KIND[kind].includes(actions[name] ?? ''))
      .map(([, at]) => at);
    return starts.length > 0 ? Math.min(...starts) : exp.startedAt;
  };
  const components: Record<string, unknown>[] = [];
  for (const w of r.watches) {
    const c = watches.watched.find((x) => x.id === w.component)!;
    const label = componentLabel(c, az);
    const source = 'watchComponentRecovery';
    const impaired = `FIS action on ${c.id} started (fault in ${az})`;
    f.timeline.push({ name: 'component-impaired', at: startOf(c.kind), source: 'getFisExperiment', component: c.id, detail: impaired });
    if (w.detectedAt !== undefined && w.detectedAt >= exp.startedAt) {
      f.timeline.push({ name: 'failure-detected', at: w.detectedAt, source, component: c.id, detail: `${c.id} seen impaired` });
    }
    if (w.recoveredWindow) {
      const detail = `${c.id} ${label}: ${w.last} (previous read ${w.recoveredWindow.previousReadAt})`;
      const { observedAt, previousReadAt } = w.recoveredWindow;
      // notBefore: the component's figure carries its read window (lib/timeline withWindow).
      f.timeline.push({ name: 'component-recovered', at: observedAt, notBefore: previousReadAt, source, component: c.id, detail });
    }
    seen(f, w);
    if (w.attempts > 1) {
      const win = w.recoveredWindow ? `${w.recoveredWindow.observedAt - w.recoveredWindow.previousReadAt} ms` : 'none';
      f.notes.push(`${c.id}: the watch was retried (${w.attempts} attempts) and resumed from its checkpoint; recovery window ${win}`);
    }
    components.push({ component: w.component, label, ...windowOf(w) });
  }
  f.details.components = components;
}

/** app-healthy (the service watch, or the first alarms-OK read after the fault) and what the RTO means. */
function serviceFindings(plan: AzLossPlan, watches: WatchPlan, r: Recovered, f: Findings): void {
  const az = plan.az;
  const alarmsText = plan.healthAlarms.length > 0 ? `health alarms ${plan.healthAlarms.join(', ')} OK` : '';
  const pathText = [...watches.dataPath.map((c) => `${c.id} ${componentLabel(c, az)}`), ...(alarmsText ? [alarmsText] : [])].join(', ');
  if (r.service) {
    const s = r.service;
    f.details.appHealthy = { watches: pathText, ...windowOf(s) };
    if (s.recoveredWindow) {
      const detail = `${s.last} (previous read ${s.recoveredWindow.previousReadAt})`;
      const prev = s.recoveredWindow.previousReadAt;
      // notBefore: the RTO figure carries its read window (lib/timeline withWindow).
      f.timeline.push({
        name: 'app-healthy',
        at: s.recoveredWindow.observedAt,
        source: 'watchServiceHealth',
        detail,
        ...(prev !== undefined ? { notBefore: prev } : {}),
      });
    }
    seen(f, s);
    if (plan.healthAlarms.length === 0)
      f.notes.push(`no health alarms for ${plan.region} (alarms.health): app-healthy = data path serving outside ${az} (${pathText})`);
  } else if (r.alarmsOk) {
    f.timeline.push({ name: 'app-healthy', at: r.alarmsOk.observedAt, source: 'awaitHealthAlarmsOk', detail: r.alarmsOk.states });
    f.notes.push(
      `template ${plan.template.name} impairs no data-path component (Aurora writer, ElastiCache primary) in ${az}: app-healthy = first read after the fault with every health alarm OK (the service was not seen down)`,
    );
  } else {
    f.notes.push(
      `app-healthy not observed: template ${plan.template.name} impairs no data-path component in ${az} and ${plan.region} has no health alarms (alarms.health)`,
    );
  }
  if (r.service || r.alarmsOk) {
    const ec2 = watches.watched.some((c) => c.kind === 'ec2')
      ? '; instance capacity restoration (ec2) is a component finding, not service downtime'
      : '';
    f.notes.push(
      `RTO (service downtime) = fault-injected → app-healthy (${r.service ? pathText : alarmsText}); per-component figures are each component's own recovery against the AZ target, with their own verdicts, outside the service verdict${ec2}`,
    );
  }
}

/** Timeline events, notes and details of a recovery (see the module doc). */
export function recoveryFindings(
  plan: AzLossPlan,
  watches: WatchPlan,
  exp: StartedExperiment,
  r: Recovered,
): { timeline: TimelineEvent[]; notes: string[]; details: Record<string, unknown> } {
  const f: Findings = { timeline: [], notes: [], details: {}, widest: 0 };
  componentFindings(plan, watches, exp, r, f);
  serviceFindings(plan, watches, r, f);
  if (f.widest > 0)
    f.notes.push(
      `resolution: every recovery lies in (previous read, observed read]; widest window ${f.widest} ms at a poll interval of ${plan.pollIntervalMs} ms`,
    );
  if (r.experimentCompletedAt !== undefined) f.details.experimentCompletedAt = r.experimentCompletedAt;
  return { timeline: f.timeline, notes: f.notes, details: f.details };
}

/** Identity of the run a report is about. */
export interface ReportIds {
  readonly workflowId: string;
  readonly runId: string;
}

/** How the run ended, as the report says it. */
export interface ReportEnding {
  readonly outcome: RunReport['outcome'];
  readonly reason?: string;
}

/**
 * The fault's start: the first FIS action's own `startTime` (AWS's clock: when the fault began to
 * take effect), else the experiment's `startTime` (issue 15 item 4: an experiment starts its
 * actions seconds after it starts itself, so timing the fault by the experiment overstates RTO).
 */
export function faultEvent(plan: AzLossPlan, exp: StartedExperiment, actionStarts: Readonly<Record<string, number>> = {}): TimelineEvent {
  const what = `FIS experiment ${exp.experimentId} (${plan.template.name}) in ${plan.az}`;
  const starts = Object.entries(actionStarts).filter(([, at]) => Number.isFinite(at) && at >= exp.startedAt);
  if (starts.length === 0) return { name: 'fault-injected', at: exp.startedAt, source: 'startFisExperiment', detail: `${what} started` };
  const [name, at] = starts.reduce((a, b) => (b[1] < a[1] ? b : a));
  return {
    name: 'fault-injected',
    at,
    source: 'getFisExperiment',
    detail: `${what}: first action ${name} started ${Math.round(at - exp.startedAt)} ms after the experiment (FIS action startTime)`,
  };
}

/** Details, timeline and notes of what `o` observed up to (and including) the fault and the recovery. */
function observedFindings(
  plan: AzLossPlan,
  o: AzLossObserved,
): { timeline: TimelineEvent[]; notes: string[]; details: Record<string, unknown> } {
  const details: Record<string, unknown> = { runbook: plan.runbookName, az: plan.az, region: plan.region, template: plan.template.name };
  const timeline: TimelineEvent[] = [];
  const notes: string[] = plan.template.omitted.map((x) => `template ${plan.template.name}: left out ${x}`);
  if (o.steady) Object.assign(details, { steadyState: o.steady.checks, componentsInAz: o.steady.inAz });
  if (o.template) Object.assign(details, { templateId: o.template.id, templateAction: o.template.action });
  if (o.canaryFirstWrite && !o.canaryFirstWrite.ok) notes.push(`canary: ${o.canaryFirstWrite.detail} before the fault`);
  const watches = o.steady ? planWatches(plan, o.steady) : undefined;
  if (watches) notes.push(...watches.notes);
  if (o.baselines) {
    details.watchesArmed = Object.fromEntries(o.baselines.map((b) => [b.watch, { at: b.at, baseline: b.seen }]));
    for (const b of o.baselines.filter((x) => x.ok))
      notes.push(`${b.watch}: not measured: already serving outside ${plan.az} at the baseline read before the fault (${b.seen})`);
  }
  const exp = o.experiment;
  const r = o.recovery;
  if (exp) {
    details.experimentId = exp.experimentId;
    timeline.push(faultEvent(plan, exp, r?.kind === 'recovered' ? r.actionStarts : exp.actionStarts));
  }
  if (r?.kind === 'recovered' && exp && watches) {
    const f = recoveryFindings(plan, watches, exp, r);
    timeline.push(...f.timeline);
    notes.push(...f.notes);
    Object.assign(details, f.details);
  } else if (r?.kind === 'ended') {
    details.experimentEndedAt = r.end.endedAt;
    if (r.end.haltedByStopCondition) details.haltedBy = r.end.firedAlarms;
  }
  if (o.stopped) {
    Object.assign(details, { experimentState: o.stopped.status, experimentStoppedByGameday: o.stopped.stoppedByUs });
    if (o.stopped.reason) details.experimentReason = o.stopped.reason;
  }
  if (o.canaryCleanup) notes.push(o.canaryCleanup);
  return { timeline, notes, details };
}

/** The run's report from what it observed and how it ended; undefined before the plan exists. */
export function azLossReport(ids: ReportIds, o: AzLossObserved, ending: ReportEnding): RunReport | undefined {
  const plan = o.plan;
  if (!plan) return undefined;
  const { timeline, notes, details } = observedFindings(plan, o);
  const measured = measure({
    timeline,
    targets: plan.targets,
    canary: o.canary ?? { notMeasured: o.experiment ? 'the canary was not read' : 'no fault was injected' },
    resolution: { pollIntervalMs: plan.pollIntervalMs },
  });
  const measurement = {
    ...measured,
    components: measured.components.map((c) => {
      const comp = plan.components.find((x) => x.id === c.component);
      return comp ? { ...c, label: componentLabel(comp, plan.az) } : c;
    }),
  };
  return {
    ...reportHead({
      ...ids,
      scenario: 'az-loss',
      service: plan.runbook.service,
      environment: plan.runbook.environment,
      tier: plan.runbook.tier,
      awsMode: plan.awsMode,
    }),
    outcome: ending.outcome,
    ...(ending.reason ? { outcomeReason: ending.reason } : {}),
    timeline: [...timeline].sort((a, b) => a.at - b.at),
    measurement,
    details,
    notes: [...notes, ...(measurement.notes ?? [])],
  };
}

/** How a run's steps ended (the kit's `RunEnd`, structurally). */
export type StepsEnd =
  | { readonly kind: 'completed'; readonly value: AzLossEnding }
  | { readonly kind: 'aborted' | 'cancelled' | 'failed'; readonly reason: string };

/**
 * How the report states the run's ending: a failed undo fails it (the experiment not stopped,
 * said first), a cancellation is an abort (`workflow cancelled`), else as the steps ended.
 */
export function reportEnding(end: StepsEnd, undoFailures: readonly string[], stopFailure?: string): ReportEnding {
  if (undoFailures.length > 0) return { outcome: 'failed', reason: stopFailure ?? `undo failed: ${undoFailures.join('; ')}` };
  if (end.kind === 'completed') return end.value;
  return { outcome: end.kind === 'failed' ? 'failed' : 'aborted', reason: end.reason };
}

/** Why the canary cannot run in this plan (RPO then not measured), or undefined when it can. */
export function canarySkipReason(plan: AzLossPlan): string | undefined {
  if (!plan.runbook.canary) return `runbook ${plan.runbookName} has no canary section`;
  if (!plan.runbookByName)
    return "the canary loads the runbook by name in the worker; start the run with a runbook name from the worker's runbook folder";
  return undefined;
}

/** The runbook name of an input, for the status before the plan exists. */
export function runbookOfInput(input: AzLossInput | undefined): string | undefined {
  return typeof input?.runbook === 'string' ? input.runbook : undefined;
}
