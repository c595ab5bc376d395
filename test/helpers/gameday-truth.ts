/**
 * Checks a game day's scorecard against the simulated AWS's ground truth (`sim.world.log`), the way
 * a reviewer would: every scenario's figures are the ones its child run reported (copied, never
 * recomputed), and each true moment lies in the window the report itself states — a figure's
 * `earliestMs` (the truth lies in (earliestMs, valueMs]), or a detection's read window
 * (previous read, observing read] in the child's details — with no tolerance of our own. Also
 * checks the day left nothing behind. Used by the CLI and the Web UI game-day tests.
 */
import type { PreflightReport } from '../../contracts/preflight';
import type { Figure, RunReport } from '../../lib/measurement-types';
import type { Scorecard, ScenarioScore } from '../../lib/scorecard';
import type { SimAws } from '../../sim';
import type { GroundTruthEvent } from '../../sim/world';
import { loadRunbookByName } from '../../runbooks/load';
import { parseDuration } from '../../runbooks/schema';

/** One figure checked against the ground truth (ms of the sim clock, from the figure's own start). */
export interface TruthCheck {
  readonly scenario: string;
  readonly figure: string;
  /** The ground-truth value: the true end − the figure's start. */
  readonly truthMs: number;
  /** The window the report states for it: (lowMs, highMs]. */
  readonly lowMs: number;
  readonly highMs: number;
  /** A figure the report says was not measured, and the ground truth that confirms its reason. */
  readonly absent?: string;
}

type Window = { previousReadAt?: number; observedAt: number };
type Log = readonly GroundTruthEvent[];

/** The first event at or after `from` matching `match` (throws naming `what` when there is none). */
function first(log: Log, from: number, what: string, match: (e: GroundTruthEvent) => boolean): GroundTruthEvent {
  const e = log.find((x) => x.at >= from && match(x));
  if (!e) throw new Error(`ground truth: no ${what} after ${from}`);
  return e;
}

function at(r: RunReport, name: string): number {
  const e = r.timeline.find((x) => x.name === name);
  if (!e) throw new Error(`${r.scenario}: no ${name} in the timeline`);
  return e.at;
}

function measured(f: Figure | undefined, what: string): Extract<Figure, { status: 'measured' }> {
  if (f?.status !== 'measured') throw new Error(`${what}: not measured (${JSON.stringify(f)})`);
  return f;
}

class Checker {
  readonly checks: TruthCheck[] = [];
  constructor(readonly log: Log) {}

  /** The true end lies in the read window, and the figure is the observing read − its start. */
  window(scenario: string, figure: string, f: Figure | number | undefined, start: number, w: Window, trueEnd: number): void {
    const m = typeof f === 'number' ? undefined : measured(f, `${scenario} ${figure}`);
    const valueMs = m?.valueMs ?? (f as number);
    expect({ scenario, figure, valueMs }).toEqual({ scenario, figure, valueMs: w.observedAt - start });
    // The read before the change (or the fault, when the first read after it saw the change).
    const low = Math.max(0, (w.previousReadAt ?? start) - start);
    // A figure states that window itself: (earliestMs, valueMs].
    if (m)
      expect({ scenario, figure, earliestMs: m.earliestMs }).toEqual({ scenario, figure, earliestMs: low < valueMs ? low : undefined });
    this.push({ scenario, figure, truthMs: trueEnd - start, lowMs: m?.earliestMs ?? low, highMs: valueMs });
  }

  /** The truth lies in the figure's own stated window (earliestMs, valueMs], or equals it when it states none. */
  stated(scenario: string, figure: string, f: Figure | undefined, truthMs: number): void {
    const m = measured(f, `${scenario} ${figure}`);
    this.push({ scenario, figure, truthMs, lowMs: m.earliestMs ?? m.valueMs, highMs: m.valueMs });
  }

  /** A figure with no window (or a time from AWS's own record): it equals the truth. */
  exact(scenario: string, figure: string, f: Figure | number | undefined, truthMs: number): void {
    const valueMs = typeof f === 'number' ? f : measured(f, `${scenario} ${figure}`).valueMs;
    this.push({ scenario, figure, truthMs, lowMs: valueMs, highMs: valueMs });
  }

  /** A figure not measured: its reason is confirmed by the ground truth (`confirmed`, in words). */
  absent(scenario: string, figure: string, f: Figure | undefined, reason: RegExp, confirmed: string): void {
    expect({ scenario, figure, status: f?.status, reason: f?.status === 'not-measured' ? f.reason : '' }).toEqual({
      scenario,
      figure,
      status: 'not-measured',
      reason: expect.stringMatching(reason),
    });
    this.checks.push({ scenario, figure, truthMs: NaN, lowMs: NaN, highMs: NaN, absent: confirmed });
  }

  private push(c: TruthCheck): void {
    this.checks.push(c);
    const inside = c.lowMs === c.highMs ? c.truthMs === c.highMs : c.truthMs > c.lowMs && c.truthMs <= c.highMs;
    expect({ ...c, inside }).toEqual({ ...c, inside: true });
  }
}

function instanceTermination(c: Checker, s: ScenarioScore, r: RunReport): void {
  const d = r.details as {
    terminated: string[];
    terminateCallAt: number;
    terminateCallReturnedAt: number;
    detections: Record<string, Window>;
    targetGroupArn: string;
    serviceAlarm: string;
    desiredCapacity: number;
  };
  const call = d.terminateCallAt;
  const requested = c.log.filter((e) => e.event === 'instance-terminate-requested' && d.terminated.includes(e.resource));
  expect(requested.map((e) => e.resource).sort()).toEqual([...d.terminated].sort());
  for (const e of requested) expect(e.at >= call && e.at <= d.terminateCallReturnedAt).toBe(true);
  const inService = c.log.filter(
    (e) => e.at >= call && e.event === 'asg-instance-in-service' && d.terminated.includes(e.detail?.replaces as string),
  );
  expect(inService).toHaveLength(d.terminated.length);
  const tg = first(c.log, call, 'target group healthy', (e) => e.resource === d.targetGroupArn && e.detail?.healthy === d.desiredCapacity);
  const component = (name: string) => r.measurement.components.find((x) => x.component === name)?.rto;
  const capacity = Math.max(...inService.map((e) => e.at));
  c.window(
    s.id,
    'asg-desired-healthy-capacity',
    component('asg-desired-healthy-capacity'),
    call,
    d.detections['asg-desired-healthy-capacity']!,
    capacity,
  );
  c.window(s.id, 'target-group-healthy', component('target-group-healthy'), call, d.detections['target-group-healthy']!, tg.at);
  // The sim evaluates the alarm every few seconds of its clock: on a loaded machine a short dip of
  // healthy hosts may not last a whole evaluation period, and the alarm truly never fires. Then the
  // report must say so, and the ground truth must agree (no ALARM within the alarm's fire timeout).
  const timeoutMs = parseDuration(loadRunbookByName(r.details.runbook as string).instanceTermination!.alarmFireTimeout);
  const fired = c.log.find((e) => e.at >= call && e.resource === d.serviceAlarm && e.detail?.to === 'ALARM');
  if (d.detections['service-alarm-fired']?.observedAt === undefined) {
    expect({ alarm: d.serviceAlarm, firedAt: fired && fired.at <= call + timeoutMs ? fired.at : undefined }).toEqual({
      alarm: d.serviceAlarm,
      firedAt: undefined,
    });
    const why = `no ALARM of ${d.serviceAlarm} in the ${timeoutMs / 60_000} min after the termination (ground truth)`;
    c.absent(s.id, 'service-alarm-ok', component('service-alarm-ok'), /never went to ALARM/, why);
    c.absent(s.id, 'RTO (last of the three)', s.rto, /never went to ALARM/, why);
    return;
  }
  if (!fired) throw new Error(`${s.id}: the report saw ${d.serviceAlarm} fire; the ground truth has no ALARM`);
  const ok = first(c.log, fired.at, 'alarm OK', (e) => e.resource === d.serviceAlarm && e.detail?.to === 'OK');
  c.window(s.id, 'service-alarm-ok', component('service-alarm-ok'), call, d.detections['service-alarm-ok']!, ok.at);
  // RTO: the service whole again, the last of the three; its window is the latest of theirs.
  c.stated(s.id, 'RTO (last of the three)', s.rto, Math.max(capacity, tg.at, ok.at) - call);
}

function regionCut(c: Checker, s: ScenarioScore, r: RunReport): void {
  const d = r.details as {
    experimentId: string;
    secondaryRegion: string;
    healthChecks: string[];
    healthAlarms: string[];
    detections: Record<string, Window>;
  };
  const fault = at(r, 'fault-injected');
  const cut = first(
    c.log,
    fault - 1,
    'subnet cut',
    (e) => e.event === 'subnet-traffic-cut' && String(e.detail?.cause).startsWith(d.experimentId),
  );
  expect(cut.at).toBe(fault); // the figures count from FIS's start of the cut action, the instant the subnets were cut
  const hcs = d.healthChecks.map(
    (id) =>
      first(
        c.log,
        fault,
        `${id} unhealthy`,
        (e) => e.resource === id && e.event === 'health-check-status-changed' && e.detail?.healthy === false,
      ).at,
  );
  const dns = first(
    c.log,
    fault,
    'DNS answers the secondary',
    (e) => e.event === 'resolver-answer-changed' && e.detail?.to === d.secondaryRegion,
  );
  const alarms = d.healthAlarms.map(
    (id) =>
      first(c.log, fault, `${id} ALARM`, (e) => e.resource === id && e.event === 'alarm-state-changed' && e.detail?.to === 'ALARM').at,
  );
  const component = (name: string) => r.measurement.components.find((x) => x.component === name)?.rto;
  c.window(
    s.id,
    'route53-health-checks-failed',
    component('route53-health-checks-failed'),
    fault,
    d.detections['route53-health-checks-failed']!,
    Math.max(...hcs),
  );
  c.window(s.id, 'RTO (DNS answers the secondary)', s.rto, fault, d.detections['dns-answers-secondary']!, dns.at);
  c.window(s.id, 'health-alarms-fired', component('health-alarms-fired'), fault, d.detections['health-alarms-fired']!, Math.max(...alarms));
}

function azLoss(c: Checker, s: ScenarioScore, r: RunReport): void {
  const d = r.details as {
    experimentId: string;
    components: { component: string; recoveredWindow: Window }[];
    appHealthy: { recoveredWindow: Window };
  };
  const fault = at(r, 'fault-injected');
  const action = (name: string) =>
    first(c.log, fault, name, (e) => e.resource === `${d.experimentId}/${name}` && e.event === 'action-running').at;
  const truth: Record<string, { start: number; end: number }> = {
    'aurora:payments-use1': {
      start: action('Failover-RDS'),
      end: first(c.log, fault, 'writer changed', (e) => e.resource === 'payments-use1' && e.event === 'cluster-writer-changed').at,
    },
    'elasticache:payments-sessions': {
      start: action('Pause-ElastiCache'),
      end: first(c.log, fault, 'primary available', (e) => e.resource === 'payments-sessions' && e.event === 'elasticache-available').at,
    },
  };
  for (const [component, t] of Object.entries(truth)) {
    const f = r.measurement.components.find((x) => x.component === component)?.rto;
    const impaired = r.timeline.find((e) => e.name === 'component-impaired' && e.component === component)!;
    expect({ component, impairedAt: impaired.at }).toEqual({ component, impairedAt: t.start }); // FIS's action start
    c.window(s.id, component, f, t.start, d.components.find((x) => x.component === component)!.recoveredWindow, t.end);
  }
  // Service downtime ends when the data path is whole again: writer and primary out of the AZ, the 5xx alarm OK.
  const w = d.appHealthy.recoveredWindow;
  const okAgain = c.log.filter((e) => e.resource === 'payments-use1-5xx' && e.detail?.to === 'OK' && e.at > fault && e.at <= w.observedAt);
  const serviceEnd = Math.max(truth['aurora:payments-use1']!.end, truth['elasticache:payments-sessions']!.end, ...okAgain.map((e) => e.at));
  expect(fault).toBeLessThanOrEqual(truth['aurora:payments-use1']!.start); // the run's start stamp precedes the fault's effect
  // The whole window is checked. A loaded run once stated (79.2 s, 88.2 s] against a truth of 63.8 s:
  // the watch opened its recovery window at the RETURN of the slow read that saw the impairment,
  // whose answer dated from its issue (test/watch-loop.test.ts); windows now open at issue times.
  c.window(s.id, 'RTO (service downtime)', s.rto, fault, w, serviceEnd);
  // RPO: the sim keeps every acknowledged write through an in-region failover (no writes-lost event), the canary lost none.
  const lost = c.log.filter((e) => e.event === 'writes-lost' && e.at >= fault && e.at <= w.observedAt);
  expect(lost.filter((e) => Number(e.detail?.count) > 0)).toEqual([]);
  c.exact(s.id, 'RPO', s.rpo, 0);
}

function humanAdjustment(r: RunReport): number {
  const asked = r.timeline.find((e) => e.name === 'approval-requested');
  const decided = r.timeline.find((e) => e.name === 'decision-made');
  if (!asked?.wallAt || !decided?.wallAt) return 0;
  return decided.at - asked.at - (decided.wallAt - asked.wallAt); // the approval counts at its wall duration
}

function regionPromotion(c: Checker, s: ScenarioScore, r: RunReport, sim: SimAws): void {
  const d = r.details as {
    observations: Record<string, Window>;
    failback: { status: string; startedAt: number; writableAt: number; reProtectedAt: number; timeToReProtectedMs: number };
    targetRegion: string;
    sourceRegion: string;
    globalClusterId: string;
  };
  const requested = at(r, 'promotion-requested');
  const started = at(r, 'promotion-started');
  const switchover = first(c.log, requested, 'switchover requested', (e) => e.event === 'global-switchover-requested');
  expect(started).toBeLessThanOrEqual(switchover.at);
  const writable = first(c.log, switchover.at, 'promoted writer', (e) => e.event === 'global-promotion-complete');
  expect(writable.detail?.region).toBe(d.targetRegion);
  const promoted = first(
    c.log,
    switchover.at,
    'writable',
    (e) => e.event === 'cluster-writable' && e.resource === writable.detail?.clusterId,
  );
  const span = (name: string) => at(r, name) - requested;
  // The writer change: AWS's own time (RDS event) is the truth itself; else the wait's read window holds it.
  const finished = r.timeline.find((e) => e.name === 'promotion-finished')!;
  const seen = d.observations['promotion-finished']!;
  expect(seen.previousReadAt! < promoted.at && promoted.at <= seen.observedAt).toBe(true);
  if (finished.source === 'rds-event') c.exact(s.id, 'promotion-finished', span('promotion-finished'), promoted.at - requested);
  else c.window(s.id, 'promotion-finished', span('promotion-finished'), requested, seen, promoted.at);
  const insync = first(c.log, promoted.at, 'change INSYNC', (e) => e.event === 'change-insync');
  c.window(s.id, 'traffic-converged', span('traffic-converged'), requested, d.observations['traffic-converged']!, insync.at);
  // RTO: requested → the first write through the new endpoint (an active check, after the promoted writer took writes).
  const rto = measured(s.rto, 'promotion RTO');
  expect(rto.valueMs).toBe(at(r, 'app-healthy') - requested - humanAdjustment(r));
  expect(at(r, 'app-healthy')).toBeGreaterThanOrEqual(promoted.at);
  // RPO: the acknowledged writes the promotion lost (the sim's count at the promotion) = the canary's.
  const lost = first(c.log, switchover.at, 'writes-lost', (e) => e.event === 'writes-lost');
  expect([r.measurement.lostWrites, lost.detail?.count]).toEqual([0, 0]); // a switchover loses nothing: RPO truth 0
  c.exact(s.id, 'RPO', s.rpo, 0);
  // Failback: a second switchover, back to the source region, inside the failback's span; the writer is back.
  expect(d.failback.status).toBe('completed');
  const back = first(c.log, d.failback.startedAt, 'switch back', (e) => e.event === 'global-switchover-requested');
  const backDone = first(c.log, back.at, 'back on the source', (e) => e.event === 'global-promotion-complete');
  expect(backDone.detail?.region).toBe(d.sourceRegion);
  expect(backDone.at).toBeLessThanOrEqual(d.failback.writableAt);
  expect(d.failback.reProtectedAt).toBeGreaterThan(backDone.at);
  expect(d.failback.timeToReProtectedMs).toBe(d.failback.reProtectedAt - d.failback.startedAt);
  expect(sim.rdsSim.writerRegion(d.globalClusterId)).toBe(d.sourceRegion);
}

function restoreVerification(c: Checker, s: ScenarioScore, r: RunReport): void {
  const d = r.details as { restoredCluster: string; restoredInstance: string; restorePoint: number };
  const started = at(r, 'restore-started');
  const requested = first(
    c.log,
    started,
    'restore request',
    (e) => e.resource === d.restoredCluster && e.event === 'cluster-restore-requested',
  );
  expect(requested.at).toBeGreaterThanOrEqual(started); // stamped just before the call
  expect(requested.detail?.restoreTo).toBe(d.restorePoint); // the restore point reported is the one AWS restored to
  const available = first(
    c.log,
    requested.at,
    'restored instance available',
    (e) => e.resource === d.restoredInstance && e.event === 'instance-available',
  );
  c.stated(s.id, 'RTO (restore duration)', s.rto, available.at - started);
  // RPO = the restore point's lag behind the request (the run's stamp before the call).
  c.exact(s.id, 'RPO (restore point lag)', s.rpo, started - Number(requested.detail?.restoreTo));
}

/**
 * Checks every scenario of `sc` against the ground truth of `sim` (`reports`: each child's
 * returned report by scenario id) and returns what was checked, for the test's printout.
 */
export function expectScorecardMatchesTruth(
  sc: Scorecard,
  reports: Record<string, RunReport | PreflightReport>,
  sim: SimAws,
): TruthCheck[] {
  const c = new Checker(sim.world.log.all());
  for (const s of sc.scenarios) {
    const child = reports[s.id]!;
    if (!('measurement' in child)) {
      expect(s.checks).toEqual([
        expect.objectContaining({ figure: 'ready', result: child.ready === s.hypothesis.ready ? 'confirmed' : 'refuted' }),
      ]);
      continue;
    }
    // The scorecard copies the child's figures and verdict; its hypothesis checks follow from them.
    expect({ id: s.id, rto: s.rto, rpo: s.rpo, verdict: s.childVerdict }).toEqual({
      id: s.id,
      rto: child.measurement.rto,
      rpo: child.measurement.rpo,
      verdict: child.measurement.verdict,
    });
    for (const h of s.checks) {
      if (h.figure !== 'RTO' && h.figure !== 'RPO') continue;
      const f = h.figure === 'RTO' ? s.rto : s.rpo;
      if (f?.status !== 'measured') {
        expect({ id: s.id, figure: h.figure, result: h.result }).toEqual({ id: s.id, figure: h.figure, result: 'not-measured' });
        continue;
      }
      const low = f.earliestMs;
      const result = h.measuredMs! <= h.expectedMs! ? 'confirmed' : low !== undefined && low < h.expectedMs! ? 'inconclusive' : 'refuted';
      expect({ id: s.id, figure: h.figure, result: h.result }).toEqual({ id: s.id, figure: h.figure, result });
    }
    if (s.kind === 'instance-termination') instanceTermination(c, s, child);
    else if (s.kind === 'region-cut') regionCut(c, s, child);
    else if (s.kind === 'az-loss') azLoss(c, s, child);
    else if (s.kind === 'region-promotion') regionPromotion(c, s, child, sim);
    else if (s.kind === 'restore-verification') restoreVerification(c, s, child);
    else throw new Error(`no ground-truth check for ${s.kind}`);
  }
  return c.checks;
}

/** Nothing the day started is left: experiments ended, no subnet cut, temp clusters deleted, writer and DNS home. */
export function expectNothingLeft(sim: SimAws, workflowIds: readonly string[]): void {
  const log = sim.world.log.all();
  for (const e of log.filter((x) => x.service === 'fis' && x.event === 'experiment-pending')) {
    const ended = log.some((x) => x.resource === e.resource && /^experiment-(stopped|completed|failed)$/.test(x.event));
    expect({ experiment: e.resource, ended }).toEqual({ experiment: e.resource, ended: true });
  }
  for (const id of workflowIds) expect({ id, templates: sim.fisSim.templatesTagged('gameday-run', id) }).toEqual({ id, templates: [] });
  for (const l of ['a', 'b', 'c']) expect(sim.fisSim.isSubnetCut(`subnet-payments-entry-us-east-1${l}`)).toBe(false);
  for (const l of ['a', 'b', 'c']) expect(sim.fisSim.isAzImpaired('us-east-1', `us-east-1${l}`)).toBe(false);
  for (const e of log.filter((x) => x.event === 'cluster-restore-requested')) {
    expect({ cluster: e.resource, deleted: log.some((x) => x.resource === e.resource && x.event === 'cluster-deleted') }).toEqual({
      cluster: e.resource,
      deleted: true,
    });
  }
  expect(sim.rdsSim.writerRegion('payments-global')).toBe('us-east-1');
  expect(sim.dnsSim.answerRegion('db.payments.example.com')).toBe('us-east-1');
}

/** Renders the checks as table lines for the test's output (what was measured, against what truth). */
export function truthTable(checks: readonly TruthCheck[]): string {
  return checks
    .map(
      (c) =>
        `${c.scenario.padEnd(22)} ${c.figure.padEnd(34)} ${c.absent ? `not measured; ${c.absent}` : `truth ${Math.round(c.truthMs)} ms in (${Math.round(c.lowMs)}, ${Math.round(c.highMs)}] ms`}`,
    )
    .join('\n');
}
