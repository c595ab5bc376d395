/**
 * lib/scorecard.ts (pure): hypotheses against the child reports' figures, scenario and day
 * verdicts, per-service worst figures against the tier targets, human timings on the wall clock,
 * findings; and the scorecard renderers (Markdown, HTML, JSON) with the child runs linked.
 */
import type { GameDayPlan, PlannedCheckpoint, PlannedScenario } from '../contracts/gameday';
import type { Figure, RunReport } from '../lib/measurement-types';
import { renderScorecardHtml, renderScorecardJson, renderScorecardMarkdown, childRunUrl, isScorecard } from '../lib/report/scorecard';
import { buildScorecard, gameDayEvidence, hypothesisChecks, type ScenarioRun } from '../lib/scorecard';
import { TIER_TARGETS } from '../lib/tiers';

const measured = (valueMs: number, targetMs: number): Figure => ({
  status: 'measured',
  valueMs,
  targetMs,
  marginMs: targetMs - valueMs,
  verdict: valueMs <= targetMs ? 'pass' : 'fail',
});

function scenario(id: string, kind: PlannedScenario['kind'], hypothesis: PlannedScenario['hypothesis']): PlannedScenario {
  return {
    id,
    kind,
    workflowType: `${kind}Workflow`,
    runbook: 'payments-prod',
    service: 'payments',
    environment: 'prod',
    tier: 'tier0',
    targets: TIER_TARGETS.tier0,
    input: { runbook: 'payments-prod' },
    hypothesis,
    continueOnFailure: true,
  };
}

function report(rto: Figure, rpo: Figure, extra: Partial<RunReport['measurement']> = {}): RunReport {
  return {
    schemaVersion: 1,
    workflowId: 'child',
    runId: 'r1',
    scenario: 'az-loss',
    service: 'payments',
    environment: 'prod',
    tier: 'tier0',
    awsMode: 'sim',
    outcome: 'completed',
    timeline: [],
    measurement: {
      targets: { rtoMs: 60_000, rpoMs: 0 },
      rto,
      rpo,
      phases: [],
      components: [],
      resolution: {},
      verdict:
        rto.status === 'measured' && rpo.status === 'measured'
          ? rto.verdict === 'pass' && rpo.verdict === 'pass'
            ? 'pass'
            : 'fail'
          : 'not-measured',
      ...extra,
    },
    details: {},
    notes: [],
  };
}

const AZ = scenario('az-loss', 'az-loss', { text: 'RTO < 1 min, RPO 0', rtoMaxMs: 60_000, rpoMaxMs: 0 });
const PROMO = scenario('region-promotion', 'region-promotion', { text: 'RTO < 15 min', rtoMaxMs: 900_000, verdict: 'pass' });
const PRE = scenario('preflight', 'preflight', { text: 'ready', ready: true });
const CP: PlannedCheckpoint = {
  name: 'alert-paged',
  prompt: 'Paged?',
  who: ['bob'],
  timeoutMs: 900_000,
  after: 'az-loss',
  measures: 'time-to-alert',
};
const PLAN: GameDayPlan = {
  name: 'q4',
  title: 'Q4',
  runbooks: ['payments-prod'],
  participants: [{ name: 'bob', role: 'on-call' }],
  scenarios: [PRE, AZ, PROMO],
  checkpoints: [CP],
  awsMode: 'sim',
  clockScale: 600,
};
const T0 = Date.UTC(2026, 11, 2, 10, 0, 0);
const stamp = (wallOffsetMs: number) => ({ at: 1e12 + wallOffsetMs * 600, wallAt: T0 + wallOffsetMs });

describe('hypothesisChecks', () => {
  it.each([
    ['confirmed when the measured RTO is within the hypothesis', measured(42_000, 60_000), 'confirmed', 42_000],
    ['refuted when it is over', measured(72_000, 60_000), 'refuted', 72_000],
    ['confirmed at exactly the hypothesis (at most)', measured(60_000, 60_000), 'confirmed', 60_000],
  ])('%s', (_name, rto, result, ms) => {
    const [check] = hypothesisChecks({ scenario: AZ, outcome: 'completed', report: report(rto, measured(0, 0)) });
    expect(check).toMatchObject({ figure: 'RTO', expectedMs: 60_000, measuredMs: ms, result });
  });

  it.each([
    ['confirmed when even the later bound is within it', 30_000, 58_000, 'confirmed'],
    ['inconclusive when the window straddles the hypothesis', 41_000, 112_000, 'inconclusive'],
    ['refuted when even the lower bound is over it', 60_000, 112_000, 'refuted'],
  ])('a figure seen by polling (truth in (earliestMs, valueMs]): %s', (_name, earliestMs, valueMs, result) => {
    const rto: Figure = { ...measured(valueMs, 60_000), earliestMs } as Figure;
    const run: ScenarioRun = { scenario: AZ, outcome: 'completed', report: report(rto, measured(0, 0)) };
    const [check] = hypothesisChecks(run);
    expect(check).toMatchObject({ figure: 'RTO', measuredMs: valueMs, measuredEarliestMs: earliestMs, result });
    expect(check!.measured).toMatch(/true value between .* seen by polling/);
    const sc = buildScorecard({ plan: PLAN, workflowId: 'day', runId: 'd1', outcome: 'completed', scenarios: [run], checkpoints: [] });
    expect(sc.scenarios[0]!.verdict).toBe(result === 'confirmed' ? 'pass' : result === 'refuted' ? 'fail' : 'not-measured');
    expect(sc.findings.some((f) => /inconclusive, measured .*: poll faster to decide/.test(f.text))).toBe(result === 'inconclusive');
  });

  it('a figure the child did not measure is not measured, with the child reason', () => {
    const checks = hypothesisChecks({
      scenario: AZ,
      outcome: 'completed',
      report: report(measured(1000, 60_000), { status: 'not-measured', reason: 'canary unavailable', targetMs: 0 }),
    });
    expect(checks[1]).toEqual({
      figure: 'RPO',
      expected: '≤ 0 ms',
      expectedMs: 0,
      measured: 'not measured: canary unavailable',
      result: 'not-measured',
    });
  });

  it('a scenario that never ran measures nothing and says why', () => {
    const checks = hypothesisChecks({ scenario: AZ, outcome: 'skipped' });
    expect(checks.map((c) => c.result)).toEqual(['not-measured', 'not-measured']);
    expect(checks[0]!.measured).toBe('not measured: the run ended skipped');
  });
});

describe('buildScorecard', () => {
  const runs: ScenarioRun[] = [
    {
      scenario: PRE,
      outcome: 'completed',
      workflowId: 'day-preflight',
      runId: 'p1',
      preflight: {
        runbook: 'payments-prod',
        service: 'payments',
        environment: 'prod',
        tier: 'tier0',
        targets: TIER_TARGETS.tier0,
        checks: [],
        ready: true,
      },
    },
    {
      scenario: AZ,
      outcome: 'completed',
      workflowId: 'day-az-loss',
      runId: 'a1',
      startedAt: stamp(0),
      endedAt: stamp(20_000),
      report: report(measured(72_000, 60_000), measured(0, 0), {
        components: [{ component: 'ec2:payments-api', label: 'capacity restored', rto: measured(200_000, 60_000) }],
      }),
    },
    { scenario: PROMO, outcome: 'failed', reason: 'rejected by sre-oncall', workflowId: 'promote-payments-global', runId: 'x1' },
  ];
  const sc = buildScorecard({
    plan: PLAN,
    workflowId: 'day',
    runId: 'd1',
    outcome: 'completed',
    startedAt: stamp(-1000),
    endedAt: stamp(60_000),
    scenarios: runs,
    checkpoints: [
      {
        checkpoint: CP,
        state: 'answered',
        openedAt: stamp(21_000),
        answeredAt: stamp(25_000),
        by: 'bob',
        ok: true,
        happenedAtWall: T0 + 3_000,
      },
    ],
  });

  it('per scenario: the figures are the child report, the verdict from the hypothesis', () => {
    expect(sc.scenarios.map((s) => [s.id, s.outcome, s.verdict])).toEqual([
      ['preflight', 'completed', 'pass'],
      ['az-loss', 'completed', 'fail'],
      ['region-promotion', 'failed', 'fail'],
    ]);
    expect(sc.scenarios[1]!.rto).toEqual(runs[1]!.report!.measurement.rto);
    expect(sc.scenarios[1]!.wallMs).toBe(20_000);
    expect(sc.verdict).toBe('fail');
  });

  it('per service: the worst measured figure against the tier target', () => {
    expect(sc.services).toEqual([
      {
        service: 'payments',
        runbook: 'payments-prod',
        tier: 'tier0',
        targets: TIER_TARGETS.tier0,
        rto: { valueMs: 72_000, scenario: 'az-loss' },
        rpo: { valueMs: 0, scenario: 'az-loss' },
        verdict: 'pass',
      },
    ]);
  });

  it('human timings are wall-clock: the reported time, else the answer, from the scenario start', () => {
    expect(sc.human[0]).toMatchObject({ by: 'bob', ok: true, answerWaitMs: 4_000, timingMs: 3_000, measures: 'time-to-alert' });
    expect(sc.human[0]!.timingBasis).toBe('the time bob reported − the start of az-loss (wall clock)');
  });

  it('findings name what failed, what was slow and which component missed its target', () => {
    expect(sc.findings.map((f) => f.text)).toEqual([
      'az-loss: hypothesis RTO ≤ 1 min 00 s refuted, measured 1 min 12 s',
      'az-loss: ec2:payments-api (capacity restored) took 3 min 20 s, target 1 min 00 s',
      'region-promotion failed: rejected by sre-oncall',
    ]);
  });

  it('a timed-out or "no" checkpoint is a finding and fails the day', () => {
    const quiet = buildScorecard({
      plan: { ...PLAN, scenarios: [PRE] },
      workflowId: 'day',
      runId: 'd2',
      outcome: 'completed',
      scenarios: [runs[0]!],
      checkpoints: [{ checkpoint: { ...CP, after: 'preflight' }, state: 'timed-out', openedAt: stamp(0) }],
    });
    expect(quiet.verdict).toBe('fail');
    expect(quiet.findings).toEqual([{ severity: 'high', about: 'alert-paged', text: 'alert-paged: nobody answered "Paged?" in time' }]);
  });

  it('the evidence record files the day under GamedayScenario gameday without inventing an RTO', () => {
    const e = gameDayEvidence(sc, PLAN);
    expect(e).toMatchObject({ scenario: 'gameday', service: 'payments', tier: 'tier0', outcome: 'completed' });
    expect(e.measurement.rto.status).toBe('not-measured');
    expect(e.measurement.verdict).toBe('fail');
  });

  it('renders Markdown, HTML and JSON with the child runs linked', () => {
    const links = { uiUrl: 'http://localhost:8233', namespace: 'default' };
    expect(isScorecard(JSON.parse(renderScorecardJson(sc)))).toBe(true);
    const md = renderScorecardMarkdown(sc, links);
    expect(md).toContain('**Verdict: FAIL**');
    expect(md).toContain('[day-az-loss](http://localhost:8233/namespaces/default/workflows/day-az-loss/a1/history)');
    expect(md).toContain('`gameday report promote-payments-global --run-id x1`');
    const html = renderScorecardHtml(sc, links);
    expect(html).toContain(`<a href="${childRunUrl({ workflowId: 'day-az-loss', runId: 'a1' }, links)}">day-az-loss</a>`);
    expect(html).not.toMatch(/<script|src=/);
  });
});
