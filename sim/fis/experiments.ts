/** Experiment lifecycle of the simulated FIS (pending → initiating → running → completed / stopped / failed) and stop conditions. */
import type { FisExperiment } from '../../activities/aws/ports';
import { randomId } from '../region-health';
import { SimAwsError } from '../world';
import { runAction } from './actions';
import { ACTIVE, type ActionRun, type Experiment, type FisState } from './state';
import { resolveTargets } from './targets';
import { alarmNameOf, invalid } from './templates';
import { template as templateOf, view } from './views';

/** `StartExperiment`: idempotent on the client token; targets resolved now, initiating after 1–2 s, running 2–4 s later. */
export async function start(
  fis: FisState,
  region: string,
  account: string,
  input: { experimentTemplateId: string; clientToken: string; tags?: Readonly<Record<string, string>> },
): Promise<FisExperiment> {
  if (!input.clientToken || /\s/.test(input.clientToken) || input.clientToken.length > 1024)
    invalid('clientToken: 1-1024 characters without whitespace');
  const tokenKey = `${account}|${region}|${input.clientToken}`;
  const prior = fis.experimentTokens.get(tokenKey);
  if (prior) {
    const e = fis.experiments.get(prior)!;
    if (e.template.id !== input.experimentTemplateId) {
      throw new SimAwsError(
        'ConflictException',
        `clientToken ${input.clientToken} was already used to start an experiment from template ${e.template.id}`,
        409,
      );
    }
    return view(fis, e);
  }
  const template = templateOf(fis, region, input.experimentTemplateId);
  const now = fis.world.now();
  const e: Experiment = {
    id: randomId(fis.sim, 'EXP', 14),
    template: structuredClone(template),
    region,
    account,
    clientToken: input.clientToken,
    tags: { ...(input.tags ?? {}) },
    status: 'pending',
    actions: new Map(Object.entries(template.actions).map(([name, def]) => [name, { name, def, status: 'pending' }])),
    targets: new Map(),
    startTime: now,
  };
  fis.experiments.set(e.id, e);
  fis.experimentTokens.set(tokenKey, e.id);
  fis.world.record({ service: 'fis', resource: e.id, event: 'experiment-pending', at: now, detail: { templateId: template.id } });
  // FIS resolves targets while initiating; the sim resolves them now (it may call the RDS port) and acts on them then.
  try {
    e.targets = await resolveTargets(fis, e);
  } catch (err) {
    e.resolutionError = err instanceof Error ? err.message : String(err);
  }
  const initiatingAt = now + fis.world.between(1_000, 2_000);
  const runningAt = initiatingAt + fis.world.between(2_000, 4_000);
  fis.world.schedule(initiatingAt, () => {
    if (!setStatus(fis, e, 'pending', 'initiating', initiatingAt)) return;
    const alarm = alarmInAlarm(fis, e);
    if (alarm)
      halt(
        fis,
        e,
        'stopped',
        `Experiment stopped by stop condition: alarm ${alarm} is in ALARM`,
        'experiment-stopped-by-condition',
        initiatingAt,
      );
  });
  fis.world.schedule(runningAt, () => {
    if (e.status !== 'initiating') return;
    if (e.resolutionError) return fail(fis, e, `Target resolution failed: ${e.resolutionError}`, runningAt);
    if (!setStatus(fis, e, 'initiating', 'running', runningAt)) return;
    startReadyActions(fis, e, runningAt);
  });
  return view(fis, e);
}

/** Moves the experiment from `from` to `to` (false when it is no longer in `from`). */
export function setStatus(fis: FisState, e: Experiment, from: string, to: string, at: number, reason?: string): boolean {
  if (e.status !== from) return false;
  e.status = to;
  e.reason = reason;
  fis.world.record({ service: 'fis', resource: e.id, event: `experiment-${to}`, at, ...(reason ? { detail: { reason } } : {}) });
  return true;
}

/** Sets an action's status (start/end times) and records it. */
export function setActionStatus(fis: FisState, e: Experiment, a: ActionRun, to: string, at: number, reason?: string): void {
  a.status = to;
  a.reason = reason;
  if (to === 'running') a.startTime = at;
  if (['completed', 'stopped', 'failed', 'cancelled', 'skipped'].includes(to)) a.endTime = at;
  fis.world.record({
    service: 'fis',
    resource: `${e.id}/${a.name}`,
    event: `action-${to}`,
    at,
    detail: { actionId: a.def.actionId, ...(reason ? { reason } : {}) },
  });
}

/** Action statuses that let the actions after them start (a not-simulated action is `skipped`). */
const DONE = new Set(['completed', 'skipped']);

/** Starts every pending action whose `startAfter` actions have all completed; completes the experiment when all are done. */
export function startReadyActions(fis: FisState, e: Experiment, at: number): void {
  if (e.status !== 'running') return;
  for (const a of e.actions.values()) {
    if (a.status !== 'pending') continue;
    if ((a.def.startAfter ?? []).every((n) => DONE.has(e.actions.get(n)?.status ?? ''))) runAction(fis, e, a, at);
  }
  const actions = [...e.actions.values()];
  if (e.status === 'running' && actions.every((a) => DONE.has(a.status))) {
    e.endTime = at;
    const skipped = actions.filter((a) => a.status === 'skipped').map((a) => `${a.name} (${a.def.actionId})`);
    setStatus(
      fis,
      e,
      'running',
      'completed',
      at,
      skipped.length ? `Experiment completed; not simulated: ${skipped.join(', ')}.` : 'Experiment completed.',
    );
  }
}

/** Completes a running action (its fault undone) and starts the actions waiting for it. */
export function finishAction(fis: FisState, e: Experiment, a: ActionRun, at: number): void {
  if (a.status !== 'running' || e.status !== 'running') return;
  a.undo?.();
  a.undo = undefined;
  setActionStatus(fis, e, a, 'completed', at);
  startReadyActions(fis, e, at);
}

/** Fails a running action (its fault undone) and with it the experiment. */
export function failAction(fis: FisState, e: Experiment, a: ActionRun, reason: string, at: number): void {
  if (a.status !== 'running' || e.status !== 'running') return;
  a.undo?.();
  a.undo = undefined;
  setActionStatus(fis, e, a, 'failed', at, reason);
  fail(fis, e, `Action ${a.name} failed: ${reason}`, at);
}

/** Ends an experiment as failed: running actions stopped (faults undone), pending ones cancelled. */
export function fail(fis: FisState, e: Experiment, reason: string, at: number): void {
  if (!ACTIVE.has(e.status)) return;
  unwind(fis, e, at);
  e.endTime = at;
  e.status = 'failed';
  e.reason = reason;
  fis.world.record({ service: 'fis', resource: e.id, event: 'experiment-failed', at, detail: { reason } });
}

/** stopping now → `final` 2–5 s later, with every fault undone; `event` names the final record. */
export function halt(fis: FisState, e: Experiment, final: 'stopped', reason: string, event: string, at = fis.world.now()): void {
  if (!ACTIVE.has(e.status)) return;
  e.status = 'stopping';
  e.reason = reason;
  fis.world.record({ service: 'fis', resource: e.id, event: 'experiment-stopping', at, detail: { reason } });
  for (const a of e.actions.values()) if (a.status === 'running') setActionStatus(fis, e, a, 'stopping', at);
  const stoppedAt = at + fis.world.between(2_000, 5_000);
  fis.world.schedule(stoppedAt, () => {
    unwind(fis, e, stoppedAt);
    e.status = final;
    e.endTime = stoppedAt;
    fis.world.record({ service: 'fis', resource: e.id, event, at: stoppedAt, detail: { reason } });
  });
}

/** Undoes every running action's fault (stopped) and cancels pending actions. */
export function unwind(fis: FisState, e: Experiment, at: number): void {
  for (const a of e.actions.values()) {
    if (a.status === 'running' || a.status === 'stopping') {
      a.undo?.();
      a.undo = undefined;
      setActionStatus(fis, e, a, 'stopped', at);
    } else if (a.status === 'pending') {
      setActionStatus(fis, e, a, 'cancelled', at);
    }
  }
}

/** Subscribes (once) to CloudWatch alarm changes: an alarm in a stop condition going ALARM stops the experiment. */
export function listen(fis: FisState): void {
  if (fis.listening || !fis.sim.cloudwatchSim) return;
  fis.listening = true;
  fis.sim.cloudwatchSim.onStateChange((t) => {
    if (t.to !== 'ALARM') return;
    for (const e of fis.experiments.values()) {
      if (e.status !== 'initiating' && e.status !== 'running') continue;
      const hit = e.template.stopConditions.some((sc) => {
        if (sc.source !== 'aws:cloudwatch:alarm' || !sc.value) return false;
        const a = alarmNameOf(sc.value);
        return a.name === t.alarmName && (a.region ?? t.region) === t.region;
      });
      if (hit)
        halt(
          fis,
          e,
          'stopped',
          `Experiment stopped by stop condition: alarm ${t.alarmName} is in ALARM`,
          'experiment-stopped-by-condition',
          t.at,
        );
    }
  });
}

/** The name of a stop-condition alarm already in ALARM, if any. */
export function alarmInAlarm(fis: FisState, e: Experiment): string | undefined {
  for (const sc of e.template.stopConditions) {
    if (sc.source !== 'aws:cloudwatch:alarm' || !sc.value) continue;
    const a = alarmNameOf(sc.value);
    let state: string | undefined;
    try {
      state = fis.sim.cloudwatchSim.alarmState(a.name, a.region);
    } catch {
      state = undefined; // ambiguous name without region: not an ALARM we can attribute
    }
    if (state === 'ALARM') return a.name;
  }
  return undefined;
}
