/**
 * The one scorecard of a game day: per scenario the hypothesis against the measured figures of
 * its child run and a verdict; per service the measured RTO / RPO against the runbook's tier
 * targets; the human timings of the checkpoints (wall clock, never scaled); and the findings
 * (what failed, what was slow, what nobody confirmed). Figures are copied from the child runs'
 * own reports, never recomputed or estimated: a figure a child did not measure is "not measured"
 * with the child's reason. Pure and deterministic (imported by `gameDayWorkflow`); unit-tested
 * in `test/scorecard.test.ts`.
 */
import type { GameDayPlan, Hypothesis, PlannedCheckpoint, PlannedScenario, ScenarioKind, Stamp } from '../contracts/gameday';
import type { PreflightReport } from '../contracts/preflight';
import type { Figure, ReportClock, RunReport } from './measurement-types';
import { reportClock } from './report-clock';
import { sumAwsCalls, type AwsCallsFigure } from './aws-call-count';
import type { RecoveryTargets, Tier } from './tiers';

/** How a scenario of the day ended. */
export type ScenarioOutcome = 'running' | 'completed' | 'failed' | 'aborted' | 'skipped' | 'not-run';

/** What the day saw of one scenario (input of the scorecard). */
export interface ScenarioRun {
  readonly scenario: PlannedScenario;
  readonly outcome: ScenarioOutcome;
  readonly reason?: string;
  /** Who skipped or aborted it. */
  readonly by?: string;
  readonly workflowId?: string;
  readonly runId?: string;
  readonly startedAt?: Stamp;
  readonly endedAt?: Stamp;
  /** The child's report (returned, or attached to its failure). */
  readonly report?: RunReport;
  /** A preflight child's answer. */
  readonly preflight?: PreflightReport;
}

/** What the day saw of one checkpoint (input of the scorecard). */
export interface CheckpointRun {
  readonly checkpoint: PlannedCheckpoint;
  readonly state: 'open' | 'answered' | 'timed-out' | 'not-reached';
  readonly openedAt?: Stamp;
  readonly answeredAt?: Stamp;
  readonly by?: string;
  readonly ok?: boolean;
  readonly note?: string;
  /** When the person said it happened (wall ms), if they said. */
  readonly happenedAtWall?: number;
}

/** Input of `buildScorecard`. */
export interface ScorecardInput {
  readonly plan: GameDayPlan;
  readonly workflowId: string;
  readonly runId: string;
  readonly outcome: 'running' | 'completed' | 'aborted' | 'failed' | 'cancelled';
  readonly reason?: string;
  readonly startedAt?: Stamp;
  readonly endedAt?: Stamp;
  readonly scenarios: readonly ScenarioRun[];
  readonly checkpoints: readonly CheckpointRun[];
}

/** One hypothesis figure against what was measured. */
export interface HypothesisCheck {
  readonly figure: 'RTO' | 'RPO' | 'verdict' | 'ready';
  /** What the team expected, in words (e.g. `≤ 1 min 00 s`). */
  readonly expected: string;
  readonly expectedMs?: number;
  /** What the child measured, in words, or why it was not measured. */
  readonly measured: string;
  readonly measuredMs?: number;
  /** The lower bound of the figure's window when it was seen by polling: the truth lies in (this, measuredMs]. */
  readonly measuredEarliestMs?: number;
  /**
   * `confirmed`: the figure is within the hypothesis; `refuted`: the true value is over it even at
   * the window's lower bound; `inconclusive`: the window straddles the hypothesis (poll faster to decide).
   */
  readonly result: 'confirmed' | 'refuted' | 'inconclusive' | 'not-measured';
}

/** A scenario's line of the scorecard. */
export interface ScenarioScore {
  readonly id: string;
  readonly kind: ScenarioKind;
  readonly runbook: string;
  readonly service: string;
  readonly tier: Tier;
  readonly workflowType: string;
  readonly workflowId?: string;
  readonly runId?: string;
  readonly outcome: ScenarioOutcome;
  readonly reason?: string;
  readonly hypothesis: Hypothesis;
  readonly checks: readonly HypothesisCheck[];
  /** The child report's figures, as the child measured them (its own clock, see `clock`). */
  readonly rto?: Figure;
  readonly rpo?: Figure;
  readonly childVerdict?: 'pass' | 'fail' | 'not-measured';
  readonly clock?: ReportClock;
  /** Wall-clock duration of the scenario (child start to end), ms. */
  readonly wallMs?: number;
  /** The child run's AWS calls, as its report's resolution states them. */
  readonly awsCalls?: AwsCallsFigure;
  readonly verdict: 'pass' | 'fail' | 'not-measured' | 'not-run';
}

/** A service's measured RTO / RPO across the day against its runbook's targets. */
export interface ServiceScore {
  readonly service: string;
  readonly runbook: string;
  readonly tier: Tier;
  readonly targets: RecoveryTargets;
  /** Worst measured figure of the day and the scenario it came from; absent = never measured. */
  readonly rto?: { readonly valueMs: number; readonly scenario: string };
  readonly rpo?: { readonly valueMs: number; readonly scenario: string };
  readonly verdict: 'pass' | 'fail' | 'not-measured';
}

/** A checkpoint's line: who answered, when, and the human timing it measures (wall clock). */
export interface HumanScore {
  readonly checkpoint: string;
  readonly prompt: string;
  readonly after: string;
  readonly measures?: string;
  readonly state: CheckpointRun['state'];
  readonly by?: string;
  readonly ok?: boolean;
  readonly note?: string;
  readonly openedAtWall?: number;
  readonly answeredAtWall?: number;
  /** Wall ms from the checkpoint opening to the answer. */
  readonly answerWaitMs?: number;
  /** Wall ms from the start of the `after` scenario to what happened (the `measures` timing). */
  readonly timingMs?: number;
  /** What `timingMs` rests on. */
  readonly timingBasis?: string;
}

/** One finding: what failed, what was slow, what nobody confirmed. */
export interface Finding {
  readonly severity: 'high' | 'medium' | 'low';
  /** Scenario id or checkpoint name it is about. */
  readonly about: string;
  readonly text: string;
}

/** The game day's scorecard (`report` query, the workflow result, `gameday report`). */
export interface Scorecard {
  readonly schemaVersion: 1;
  readonly kind: 'gameday-scorecard';
  readonly workflowId: string;
  readonly runId: string;
  readonly plan: string;
  readonly title: string;
  readonly awsMode: 'real' | 'sim';
  /** The activities' clock of the day; human timings are always wall-clock. */
  readonly clock: ReportClock;
  readonly outcome: ScorecardInput['outcome'];
  readonly outcomeReason?: string;
  readonly startedAtWall?: number;
  readonly endedAtWall?: number;
  readonly verdict: 'pass' | 'fail' | 'not-measured';
  readonly participants: GameDayPlan['participants'];
  readonly scenarios: readonly ScenarioScore[];
  readonly services: readonly ServiceScore[];
  readonly human: readonly HumanScore[];
  readonly findings: readonly Finding[];
  /** AWS calls of the day: its child runs' (a child without a count makes it a lower bound) and its own steps'. */
  readonly resolution: AwsCallsFigure;
}

/** Readable duration for a scorecard line (kept local: lib/report imports this module's types). */
function dur(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')} s`;
}

function checkFigure(name: 'RTO' | 'RPO', maxMs: number, f: Figure | undefined, missing: string): HypothesisCheck {
  const expected = `≤ ${dur(maxMs)}`;
  if (!f) return { figure: name, expected, expectedMs: maxMs, measured: `not measured: ${missing}`, result: 'not-measured' };
  if (f.status === 'not-measured')
    return { figure: name, expected, expectedMs: maxMs, measured: `not measured: ${f.reason}`, result: 'not-measured' };
  const earliest = f.earliestMs !== undefined && f.earliestMs < f.valueMs ? f.earliestMs : undefined;
  const result = f.valueMs <= maxMs ? 'confirmed' : earliest !== undefined && earliest < maxMs ? 'inconclusive' : 'refuted';
  return {
    figure: name,
    expected,
    expectedMs: maxMs,
    measured:
      earliest !== undefined
        ? `${dur(f.valueMs)} (true value between ${dur(earliest)} and ${dur(f.valueMs)}, seen by polling)`
        : dur(f.valueMs),
    measuredMs: f.valueMs,
    ...(earliest !== undefined ? { measuredEarliestMs: earliest } : {}),
    result,
  };
}

/** The hypothesis of a scenario against what its child measured. */
export function hypothesisChecks(run: ScenarioRun): HypothesisCheck[] {
  const h = run.scenario.hypothesis;
  const m = run.report?.measurement;
  const missing =
    run.outcome === 'completed'
      ? 'the run reports no such figure'
      : `the run ${run.outcome === 'running' ? 'is still going' : `ended ${run.outcome}`}`;
  const out: HypothesisCheck[] = [];
  if (h.rtoMaxMs !== undefined) out.push(checkFigure('RTO', h.rtoMaxMs, m?.rto, missing));
  if (h.rpoMaxMs !== undefined) out.push(checkFigure('RPO', h.rpoMaxMs, m?.rpo, missing));
  if (h.verdict !== undefined) {
    const v = m?.verdict;
    const result = v === undefined || v === 'not-measured' ? 'not-measured' : v === h.verdict ? 'confirmed' : 'refuted';
    out.push({ figure: 'verdict', expected: h.verdict, measured: v ?? `not measured: ${missing}`, result });
  }
  if (h.ready !== undefined) {
    const r = run.preflight?.ready;
    const result = r === undefined ? 'not-measured' : r === h.ready ? 'confirmed' : 'refuted';
    const measured =
      r === undefined
        ? `not measured: ${missing}`
        : r
          ? 'ready'
          : `not ready (${run
              .preflight!.checks.filter((c) => !c.ok)
              .map((c) => c.name)
              .join(', ')})`;
    out.push({ figure: 'ready', expected: h.ready ? 'ready' : 'not ready', measured, result });
  }
  return out;
}

function scenarioVerdict(run: ScenarioRun, checks: readonly HypothesisCheck[]): ScenarioScore['verdict'] {
  if (run.outcome === 'skipped' || run.outcome === 'not-run' || run.outcome === 'running') return 'not-run';
  if (run.outcome === 'failed' || checks.some((c) => c.result === 'refuted')) return 'fail';
  if (run.outcome === 'aborted') return 'not-run';
  if (checks.some((c) => c.result === 'not-measured' || c.result === 'inconclusive')) return 'not-measured';
  if (checks.length > 0) return 'pass';
  return run.report?.measurement.verdict ?? (run.preflight ? (run.preflight.ready ? 'pass' : 'fail') : 'not-measured');
}

/** The scorecard line of one scenario. */
export function scoreScenario(run: ScenarioRun): ScenarioScore {
  const s = run.scenario;
  const checks = hypothesisChecks(run);
  const m = run.report?.measurement;
  return {
    id: s.id,
    kind: s.kind,
    runbook: s.runbook,
    service: s.service,
    tier: s.tier,
    workflowType: s.workflowType,
    ...(run.workflowId ? { workflowId: run.workflowId } : {}),
    ...(run.runId ? { runId: run.runId } : {}),
    outcome: run.outcome,
    ...(run.reason ? { reason: run.reason } : {}),
    hypothesis: s.hypothesis,
    checks,
    ...(m ? { rto: m.rto, rpo: m.rpo, childVerdict: m.verdict } : {}),
    ...(run.report?.clock ? { clock: run.report.clock } : {}),
    ...(run.startedAt && run.endedAt ? { wallMs: run.endedAt.wallAt - run.startedAt.wallAt } : {}),
    ...(m?.resolution.awsCalls !== undefined ? { awsCalls: awsCallsOf(m.resolution) } : {}),
    ...(run.preflight?.resolution?.awsCalls !== undefined ? { awsCalls: awsCallsOf(run.preflight.resolution) } : {}),
    verdict: scenarioVerdict(run, checks),
  };
}

/** Per service (runbook): the worst measured RTO / RPO of the day against the runbook's targets. */
export function scoreServices(runs: readonly ScenarioRun[]): ServiceScore[] {
  const byRunbook = new Map<string, ScenarioRun[]>();
  for (const r of runs) byRunbook.set(r.scenario.runbook, [...(byRunbook.get(r.scenario.runbook) ?? []), r]);
  return [...byRunbook.values()].map((rs) => {
    const s = rs[0]!.scenario;
    const worst = (pick: (m: RunReport['measurement']) => Figure) => {
      let best: { valueMs: number; scenario: string } | undefined;
      for (const r of rs) {
        const f = r.report ? pick(r.report.measurement) : undefined;
        if (f?.status === 'measured' && (!best || f.valueMs > best.valueMs)) best = { valueMs: f.valueMs, scenario: r.scenario.id };
      }
      return best;
    };
    const rto = worst((m) => m.rto);
    const rpo = worst((m) => m.rpo);
    const over = (rto && rto.valueMs > s.targets.rtoMs) || (rpo && rpo.valueMs > s.targets.rpoMs);
    const verdict = over ? 'fail' : rto && rpo ? 'pass' : 'not-measured';
    return {
      service: s.service,
      runbook: s.runbook,
      tier: s.tier,
      targets: s.targets,
      ...(rto ? { rto } : {}),
      ...(rpo ? { rpo } : {}),
      verdict,
    };
  });
}

/** The scorecard line of one checkpoint: wall-clock waits and the timing it measures. */
export function scoreCheckpoint(c: CheckpointRun, runs: readonly ScenarioRun[]): HumanScore {
  const cp = c.checkpoint;
  const start = runs.find((r) => r.scenario.id === cp.after)?.startedAt;
  const answered = c.answeredAt?.wallAt;
  const happened = c.happenedAtWall ?? answered;
  const timing =
    cp.measures && start && happened !== undefined
      ? {
          timingMs: happened - start.wallAt,
          timingBasis: `${c.happenedAtWall !== undefined ? `the time ${c.by} reported` : `when ${c.by} answered`} − the start of ${cp.after} (wall clock)`,
        }
      : {};
  return {
    checkpoint: cp.name,
    prompt: cp.prompt,
    after: cp.after,
    ...(cp.measures ? { measures: cp.measures } : {}),
    state: c.state,
    ...(c.by ? { by: c.by } : {}),
    ...(c.ok !== undefined ? { ok: c.ok } : {}),
    ...(c.note ? { note: c.note } : {}),
    ...(c.openedAt ? { openedAtWall: c.openedAt.wallAt } : {}),
    ...(answered !== undefined ? { answeredAtWall: answered } : {}),
    ...(c.openedAt && answered !== undefined ? { answerWaitMs: answered - c.openedAt.wallAt } : {}),
    ...timing,
  };
}

/** What went wrong or was slow, from the scored lines. */
export function findingsOf(
  scenarios: readonly ScenarioScore[],
  runs: readonly ScenarioRun[],
  services: readonly ServiceScore[],
  human: readonly HumanScore[],
): Finding[] {
  const out: Finding[] = [];
  for (const s of scenarios) {
    if (s.outcome === 'failed') out.push({ severity: 'high', about: s.id, text: `${s.id} failed: ${s.reason ?? 'no reason given'}` });
    if (s.outcome === 'aborted' || s.outcome === 'skipped')
      out.push({ severity: 'medium', about: s.id, text: `${s.id} ${s.outcome}: ${s.reason ?? ''}`.trim() });
    for (const c of s.checks) {
      if (c.result === 'refuted')
        out.push({ severity: 'high', about: s.id, text: `${s.id}: hypothesis ${c.figure} ${c.expected} refuted, measured ${c.measured}` });
      if (c.result === 'inconclusive')
        out.push({
          severity: 'medium',
          about: s.id,
          text: `${s.id}: hypothesis ${c.figure} ${c.expected} inconclusive, measured ${c.measured}: poll faster to decide`,
        });
      if (c.result === 'not-measured' && s.outcome === 'completed')
        out.push({ severity: 'medium', about: s.id, text: `${s.id}: ${c.figure} ${c.measured}` });
    }
    const report = runs.find((r) => r.scenario.id === s.id)?.report;
    for (const c of report?.measurement.components ?? []) {
      if (c.rto.status === 'measured' && c.rto.verdict === 'fail')
        out.push({
          severity: 'medium',
          about: s.id,
          text: `${s.id}: ${c.component}${c.label ? ` (${c.label})` : ''} took ${dur(c.rto.valueMs)}, target ${dur(c.rto.targetMs)}`,
        });
      if (c.rto.status === 'not-measured')
        out.push({ severity: 'medium', about: s.id, text: `${s.id}: ${c.component} not measured: ${c.rto.reason}` });
    }
  }
  for (const v of services) {
    if (v.rto && v.rto.valueMs > v.targets.rtoMs)
      out.push({
        severity: 'high',
        about: v.rto.scenario,
        text: `${v.service}: RTO ${dur(v.rto.valueMs)} in ${v.rto.scenario} over the ${v.tier} target ${dur(v.targets.rtoMs)}`,
      });
    if (v.rpo && v.rpo.valueMs > v.targets.rpoMs)
      out.push({
        severity: 'high',
        about: v.rpo.scenario,
        text: `${v.service}: RPO ${dur(v.rpo.valueMs)} in ${v.rpo.scenario} over the ${v.tier} target ${dur(v.targets.rpoMs)}`,
      });
  }
  for (const h of human) {
    if (h.state === 'timed-out')
      out.push({ severity: 'high', about: h.checkpoint, text: `${h.checkpoint}: nobody answered "${h.prompt}" in time` });
    if (h.state === 'answered' && h.ok === false)
      out.push({
        severity: 'high',
        about: h.checkpoint,
        text: `${h.checkpoint}: ${h.by} answered no to "${h.prompt}"${h.note ? `: ${h.note}` : ''}`,
      });
  }
  return out;
}

/** Builds the scorecard of a game day (see the module doc). */
export function buildScorecard(input: ScorecardInput): Scorecard {
  const scenarios = input.scenarios.map(scoreScenario);
  const services = scoreServices(input.scenarios);
  const human = input.checkpoints.map((c) => scoreCheckpoint(c, input.scenarios));
  const findings = findingsOf(scenarios, input.scenarios, services, human);
  const failed =
    scenarios.some((s) => s.verdict === 'fail') ||
    services.some((s) => s.verdict === 'fail') ||
    human.some((h) => h.state === 'timed-out' || h.ok === false);
  const allPassed = scenarios.every((s) => s.verdict === 'pass') && input.outcome === 'completed';
  return {
    schemaVersion: 1,
    kind: 'gameday-scorecard',
    workflowId: input.workflowId,
    runId: input.runId,
    plan: input.plan.name,
    title: input.plan.title,
    awsMode: input.plan.awsMode,
    clock: reportClock(input.plan.awsMode, input.plan.clockScale, input.startedAt?.wallAt),
    outcome: input.outcome,
    ...(input.reason ? { outcomeReason: input.reason } : {}),
    ...(input.startedAt ? { startedAtWall: input.startedAt.wallAt } : {}),
    ...(input.endedAt ? { endedAtWall: input.endedAt.wallAt } : {}),
    verdict: failed ? 'fail' : allPassed ? 'pass' : 'not-measured',
    participants: input.plan.participants,
    scenarios,
    services,
    human,
    findings,
    resolution: sumAwsCalls(scenarios.filter((s) => s.outcome !== 'skipped' && s.outcome !== 'not-run').map((s) => s.awsCalls)),
  };
}

const awsCallsOf = (r: AwsCallsFigure): AwsCallsFigure => ({
  ...(r.awsCalls !== undefined ? { awsCalls: r.awsCalls } : {}),
  ...(r.awsCallsUncounted !== undefined ? { awsCallsUncounted: r.awsCallsUncounted } : {}),
});

/** `sc` with the day's own steps' AWS calls (its evidence report's resolution) added to its children's. */
export function withDayAwsCalls(sc: Scorecard, own: AwsCallsFigure): Scorecard {
  const children = sc.scenarios.filter((s) => s.outcome !== 'skipped' && s.outcome !== 'not-run').map((s) => s.awsCalls);
  return { ...sc, resolution: sumAwsCalls([...children, awsCallsOf(own)]) };
}

/**
 * The game day's own evidence record for `finishRun` (search attributes `GamedayScenario =
 * gameday`, service and tier of its first scenario, the day's verdict). A day has no single RTO or
 * RPO: its figures are per scenario, on each child run's own search attributes.
 */
export function gameDayEvidence(sc: Scorecard, plan: GameDayPlan): RunReport {
  const first = plan.scenarios[0];
  const targets = first?.targets ?? { rtoMs: 0, rpoMs: 0 };
  const why = 'a game day is judged per scenario: see its scorecard and the child runs';
  const outcome = sc.outcome === 'cancelled' ? 'aborted' : sc.outcome;
  return {
    schemaVersion: 1,
    workflowId: sc.workflowId,
    runId: sc.runId,
    scenario: 'gameday',
    service: first?.service ?? plan.name,
    environment: first?.environment ?? '',
    tier: plan.scenarios.map((s) => s.tier).sort()[0] ?? 'tier2',
    awsMode: sc.awsMode,
    outcome,
    ...(sc.outcomeReason ? { outcomeReason: sc.outcomeReason } : {}),
    clock: sc.clock,
    timeline: [],
    measurement: {
      targets,
      rto: { status: 'not-measured', reason: why, targetMs: targets.rtoMs },
      rpo: { status: 'not-measured', reason: why, targetMs: targets.rpoMs },
      phases: [],
      components: [],
      resolution: {},
      verdict: sc.verdict,
    },
    details: { plan: sc.plan, scenarios: sc.scenarios.map((s) => `${s.id}:${s.verdict}`).join(' ') },
    notes: sc.findings.map((f) => f.text),
  };
}
