/**
 * gameDayWorkflow on the real dev server and the simulated AWS: the example rehearsal plan end to
 * end started as the UI form does (`{"plan": name}`), its promotion approved and its checkpoints
 * answered through Updates; the scorecard's figures equal the child runs' own reports and the
 * sim's ground truth; a failed scenario is reported while the rest of the day runs; aborting the
 * day mid-scenario cancels the child, whose undo leaves nothing behind (sim ground truth).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { answerCheckpointUpdate, skipScenarioUpdate } from '../contracts/gameday';
import { approvePromotionUpdate, rejectPromotionUpdate } from '../contracts/promotion';
import type { PreflightReport } from '../contracts/preflight';
import { abortSignal, statusQuery, type RunStatus } from '../contracts/run';
import { SEARCH_KEYS } from '../lib/search-attributes';
import type { RunReport } from '../lib/measurement-types';
import { gameDayWorkflow } from '../workflows';
import { evidenceRows } from '../cli/commands/evidence';
import { gameDaySummary, listHistory } from '../cli/commands/history';
import { loadRunbookByName } from '../runbooks/load';
import { startPromotionHarness, type PromotionHarness } from './helpers/promotion-fixture';

const SCALE = 600;
jest.setTimeout(150_000);
let w: PromotionHarness;
beforeEach(async () => {
  w = await startPromotionHarness('gameday', { scale: SCALE });
});
/** Days started by the test: one still running when a test ends is cancelled (its children clean up) before the worker stops. */
const started: WorkflowHandle[] = [];
afterEach(async () => {
  for (const h of started.splice(0)) {
    if ((await h.describe()).status.name !== 'RUNNING') continue;
    await h.cancel();
    await h.result().catch(() => undefined); // the cancellation is the expected ending here
  }
  await w.shutdown();
});

async function startDay(workflowId: string, input: { plan: string; planYaml?: string }): Promise<Day> {
  const h = await w.client.workflow.start(gameDayWorkflow, { taskQueue: w.taskQueue, workflowId, args: [input] });
  started.push(h);
  return h;
}

type Day = WorkflowHandle<typeof gameDayWorkflow>;
type ChildView = { workflowId: string; workflow: string; step?: string; phase: string } | undefined;

async function status(h: Day): Promise<RunStatus | undefined> {
  return h.query(statusQuery).catch((err: unknown) => {
    if (!(err instanceof Error)) throw err;
    return undefined; // the first workflow task has not run yet
  });
}

/** Polls the day's status, calling `act` on each answer until it returns true or the day ends. */
async function drive(h: Day, act: (s: RunStatus) => Promise<boolean | void>, maxMs = 90_000): Promise<void> {
  const until = Date.now() + maxMs;
  for (;;) {
    const s = await status(h);
    if (s && (await act(s))) return;
    if (s && s.phase !== 'running' && s.phase !== 'undoing') return;
    if (Date.now() > until) throw new Error(`gave up driving the day: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Approves a mirrored promotion approval and answers every open checkpoint `ok` as its first allowed person. */
async function answerEverything(h: Day, approve: 'approve' | 'reject' = 'approve'): Promise<void> {
  const answered = new Set<string>();
  await drive(h, async (s) => {
    const data = s.data as { child?: ChildView; checkpoints?: { name: string; state: string }[] };
    if (s.awaiting?.updates.includes('approvePromotion') && data.child && !answered.has(data.child.workflowId)) {
      answered.add(data.child.workflowId);
      const child = w.client.workflow.getHandle(data.child.workflowId);
      if (approve === 'approve') await child.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall', reason: 'game day' }] });
      else await child.executeUpdate(rejectPromotionUpdate, { args: [{ by: 'sre-oncall', reason: 'not during the sale' }] });
    }
    for (const c of data.checkpoints ?? []) {
      if (c.state !== 'open' || answered.has(c.name)) continue;
      answered.add(c.name);
      await h.executeUpdate(answerCheckpointUpdate, {
        args: [{ checkpoint: c.name, by: 'bob', ok: c.name !== 'runbook-found', note: 'test' }],
      });
    }
  });
}

async function childResult(workflowId: string, runId: string): Promise<RunReport | PreflightReport> {
  return w.client.workflow.getHandle(workflowId, runId).result();
}

test('the rehearsal plan end to end from {"plan": name}: checkpoints answered, scorecard figures equal the child reports', async () => {
  const dayStartedWall = Date.now();
  const h = await startDay(`gameday-rehearsal-${Date.now()}`, { plan: 'payments-dr-rehearsal' });
  // A checkpoint answer from someone not allowed to answer is refused by the validator.
  await answerEverything(h);
  const sc = await h.result();
  expect(sc.kind).toBe('gameday-scorecard');
  expect(sc.outcome).toBe('completed');
  expect(sc.scenarios.map((s) => [s.id, s.outcome])).toEqual([
    ['preflight', 'completed'],
    ['az-loss', 'completed'],
    ['region-promotion', 'completed'],
    ['restore-verification', 'completed'],
    ['backtrack-drill', 'completed'],
  ]);
  // Child ids: derived from the day's id, except the promotion's required promote-<globalClusterId>.
  expect(sc.scenarios.map((s) => s.workflowId)).toEqual([
    `${h.workflowId}-preflight`,
    `${h.workflowId}-az-loss`,
    'promote-payments-global',
    `${h.workflowId}-restore-verification`,
    `${h.workflowId}-backtrack-drill`,
  ]);
  for (const s of sc.scenarios) {
    const child = await childResult(s.workflowId!, s.runId!);
    if ('measurement' in child) {
      expect(s.rto).toEqual(child.measurement.rto);
      expect(s.rpo).toEqual(child.measurement.rpo);
      expect(s.childVerdict).toBe(child.measurement.verdict);
      expect(s.clock).toEqual(child.clock);
      for (const c of s.checks.filter((x) => x.figure === 'RTO' || x.figure === 'RPO')) {
        const f = c.figure === 'RTO' ? child.measurement.rto : child.measurement.rpo;
        if (f.status === 'measured') expect(c.measuredMs).toBe(f.valueMs);
      }
    } else expect(s.checks).toEqual([expect.objectContaining({ figure: 'ready', result: child.ready ? 'confirmed' : 'refuted' })]);
  }
  // AWS calls of the day: the sum of its children's reports and its own steps, and every AWS call
  // the sim answered (not its DNS resolver, not FIS's own actions) since the day began.
  const childCalls = await Promise.all(
    sc.scenarios.map(async (s) => {
      const child = await childResult(s.workflowId!, s.runId!);
      return ('measurement' in child ? child.measurement.resolution : child.resolution)?.awsCalls ?? NaN;
    }),
  );
  expect(sc.scenarios.map((s) => s.awsCalls?.awsCalls)).toEqual(childCalls);
  const simCalls = w.sim.world.apiCalls.filter((c) => c.wallAt >= dayStartedWall && c.service !== 'dns' && c.caller === undefined);
  expect(sc.resolution).toEqual({ awsCalls: simCalls.length });
  // Ground truth: the canary lost no write in the promotion (the sim's log of the promoted cluster).
  const promo = sc.scenarios.find((s) => s.id === 'region-promotion')!;
  expect(promo.rpo).toMatchObject({ status: 'measured' });
  const promoReport = (await childResult(promo.workflowId!, promo.runId!)) as RunReport;
  expect(promoReport.details.failback).toMatchObject({ status: 'completed' });
  expect(w.sim.world.log.find({ service: 'rds', event: 'global-promotion-complete' }).length).toBeGreaterThanOrEqual(2);
  // Service line: the worst measured figure of the day for payments against tier 0.
  const payments = sc.services.find((v) => v.runbook === 'payments-prod')!;
  const rtos = sc.scenarios
    .filter((s) => s.runbook === 'payments-prod' && s.rto?.status === 'measured')
    .map((s) => (s.rto as { valueMs: number }).valueMs);
  expect(payments.rto?.valueMs).toBe(Math.max(...rtos));
  expect(payments.targets).toEqual({ rtoMs: 15 * 60_000, rpoMs: 5000 });
  // Human timings: who answered, on the wall clock; a "no" is a finding and fails the day.
  expect(sc.human.map((x) => [x.checkpoint, x.state, x.by, x.ok])).toEqual([
    ['alert-paged', 'answered', 'bob', true],
    ['runbook-found', 'answered', 'bob', false],
  ]);
  for (const x of sc.human) {
    expect(x.answerWaitMs).toBeGreaterThanOrEqual(0);
    expect(x.answerWaitMs).toBeLessThan(60_000); // wall time, not scaled 600×
    expect(x.timingMs).toBeGreaterThanOrEqual(x.answerWaitMs!);
  }
  expect(sc.findings.map((f) => f.text)).toContain(
    'runbook-found: bob answered no to "Did the on-call find the promotion runbook and have the access to approve it?": test',
  );
  expect(sc.verdict).toBe('fail');
  // The report query answers the final scorecard; the day is filed under GamedayScenario = gameday.
  expect(await h.query('report')).toEqual(sc);
  const sa = (await h.describe()).typedSearchAttributes;
  expect([sa.get(SEARCH_KEYS.scenario), sa.get(SEARCH_KEYS.service), sa.get(SEARCH_KEYS.verdict)]).toEqual(['gameday', 'payments', 'fail']);
  // Evidence freshness from visibility: the promotion child is payments' newest measured promotion (fresh now, stale in 91 days).
  const rb = [{ name: 'payments-prod', runbook: loadRunbookByName('payments-prod') }];
  const rows = await eventually(async () => {
    const r = await evidenceRows(w.client, rb, Date.now());
    return r.find((x) => x.scenario === 'region-promotion')?.last?.runId === promo.runId ? r : undefined;
  });
  expect(rows.find((x) => x.scenario === 'region-promotion')).toMatchObject({
    status: 'fresh',
    last: { workflowId: 'promote-payments-global' },
  });
  const later = await evidenceRows(w.client, rb, Date.now() + 91 * 86_400_000);
  expect(later.find((x) => x.scenario === 'region-promotion')?.status).toBe('stale');
  // gameday history lists the day among the service's runs, with its scenarios' verdicts.
  const history = await eventually(async () =>
    (await listHistory(w.client, { service: 'payments', scenario: 'gameday', limit: 50 })).find((r) => r.workflowId === h.workflowId),
  );
  expect(history.gameDay).toBe(gameDaySummary(sc));
  expect(history.gameDay).toMatch(/^payments-dr-rehearsal: 5 scenarios \(/);
});

/** Polls `fn` (visibility is eventually consistent) until it returns a value. */
async function eventually<T>(fn: () => Promise<T | undefined>, maxMs = 15_000): Promise<T> {
  const until = Date.now() + maxMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('visibility never showed it');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const PLAN = (scenarios: string): string => `title: test day
runbooks: [payments-prod, analytics-prod]
participants: [{ name: bob, role: on-call }]
scenarios:
${scenarios}`;

test('a failed scenario is reported as failed while the rest of the day runs', async () => {
  const planYaml =
    PLAN(`  - { kind: region-promotion, targetRegion: us-west-2, continueOnFailure: true, hypothesis: { text: 'RTO < 15 min', rto: 15m } }
  - { kind: backtrack-drill, runbook: analytics-prod, hypothesis: { text: 'rewinds within 10 min', rto: 10m } }
`);
  const h = await startDay(`gameday-fail-${Date.now()}`, { plan: 'inline', planYaml });
  await answerEverything(h, 'reject');
  const sc = await h.result();
  expect(sc.outcome).toBe('completed');
  expect(sc.scenarios.map((s) => [s.id, s.outcome])).toEqual([
    ['region-promotion', 'failed'],
    ['backtrack-drill', 'completed'],
  ]);
  expect(sc.scenarios[0]!.verdict).toBe('fail');
  // The drill after the failed scenario is judged on its own figure, whatever that is on this
  // machine: at 600× a second of orchestration latency is 10 simulated minutes, so the window it
  // was seen in decides between pass, inconclusive (not-measured) and fail.
  const bt = sc.scenarios[1]!;
  const rto = bt.checks.find((c) => c.figure === 'RTO')!;
  const within = rto.measuredMs! <= 10 * 60_000;
  const straddles = !within && (rto.measuredEarliestMs ?? Infinity) < 10 * 60_000;
  expect(bt.verdict).toBe(within ? 'pass' : straddles ? 'not-measured' : 'fail');
  expect(bt.childVerdict).not.toBeUndefined();
  expect(sc.scenarios[0]!.reason).toMatch(/rejected by sre-oncall: not during the sale/);
  expect(sc.findings[0]).toMatchObject({ severity: 'high', about: 'region-promotion' });
  // Nothing promoted: the rejection came before any mutation (sim ground truth).
  expect(w.sim.world.apiCalls.filter((c) => c.operation === 'switchoverGlobalCluster' || c.operation === 'failoverGlobalCluster')).toEqual(
    [],
  );
});

test('aborting the day mid-scenario cancels the child, whose undo deletes the temporary cluster; the rest is not run', async () => {
  const planYaml = PLAN(`  - { kind: restore-verification, hypothesis: { text: 'restores', verdict: pass } }
  - { kind: backtrack-drill, runbook: analytics-prod, hypothesis: { text: 'rewinds within 10 min', rto: 10m } }
`);
  const h = await startDay(`gameday-abort-${Date.now()}`, { plan: 'inline', planYaml });
  let childId = '';
  await drive(h, async (s) => {
    const child = (s.data as { child?: ChildView }).child;
    if (child?.step !== 'await-cluster') return false;
    childId = child.workflowId;
    await h.signal(abortSignal, { reason: 'test: stop the day', by: 'alice' });
    return true;
  });
  const sc = await h.result();
  expect(sc.outcome).toBe('aborted');
  expect(sc.outcomeReason).toMatch(/aborted by alice: test: stop the day/);
  expect(sc.scenarios.map((s) => [s.id, s.outcome])).toEqual([
    ['restore-verification', 'aborted'],
    ['backtrack-drill', 'not-run'],
  ]);
  const child = await w.client.workflow.getHandle(childId).describe();
  expect(child.status.name).toBe('CANCELLED');
  // Ground truth: every temporary cluster the child created was deleted; no Backtrack was started.
  const created = w.sim.world.log.find({ service: 'rds', event: 'cluster-restore-requested' }).map((e) => e.resource);
  expect(created.length).toBeGreaterThan(0);
  for (const id of created) expect(w.sim.world.log.find({ service: 'rds', resource: id, event: 'cluster-deleted' })).toHaveLength(1);
  expect(w.sim.world.apiCalls.filter((c) => c.operation === 'backtrackDbCluster')).toEqual([]);
});

test('skipScenario stops the running child (its undo cleans up) and the day goes on', async () => {
  const planYaml = PLAN(`  - { kind: az-loss, az: us-east-1a, hypothesis: { text: 'RTO < 1 min, RPO 0', rto: 1m, rpo: 0s } }
  - { kind: preflight, hypothesis: { text: 'ready', ready: true } }
`);
  const h = await startDay(`gameday-skip-${Date.now()}`, { plan: 'inline', planYaml });
  await drive(h, async (s) => {
    const child = (s.data as { child?: ChildView }).child;
    if (child?.step !== 'await recovery') return false;
    await h.executeUpdate(skipScenarioUpdate, { args: [{ by: 'alice', reason: 'running late' }] });
    return true;
  });
  const sc = await h.result();
  expect(sc.scenarios.map((s) => [s.id, s.outcome])).toEqual([
    ['az-loss', 'skipped'],
    ['preflight', 'completed'],
  ]);
  expect(sc.scenarios[0]!.reason).toBe('skip by alice: running late');
  // Ground truth: the experiment the child started is stopped.
  const ids = w.sim.world.log.find({ service: 'fis', event: 'experiment-pending' }).map((e) => e.resource);
  expect(ids.length).toBe(1);
  for (const id of ids) expect((await w.sim.fis({ region: 'us-east-1' }).getExperiment(id)).state.status).toBe('stopped');
});

test('from the CLI: game-day start follows the day, game-day checkpoint answers it, the scorecard is printed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gameday-cli-'));
  const file = join(dir, 'cli-day.yaml');
  writeFileSync(
    file,
    PLAN(`  - { kind: preflight, hypothesis: { text: ready, ready: true } }
checkpoints:
  - { name: runbook-found, prompt: 'Runbook found?', after: preflight, answeredBy: [on-call] }
`),
  );
  const id = `gameday-cli-${Date.now()}`;
  const cli = (args: string[]) => runCli([...args, '--task-queue', w.taskQueue]);
  const started = cli(['game-day', 'start', '--plan', file, '--id', id]);
  const h = w.client.workflow.getHandle(id) as Day;
  started.then(
    () => undefined,
    () => undefined,
  );
  await drive(h, async (s) => (s.data as { checkpoints?: { state: string }[] }).checkpoints?.some((c) => c.state === 'open') === true);
  const refused = await cli(['game-day', 'checkpoint', id, 'runbook-found', '--by', 'mallory']);
  expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('by: mallory may not answer runbook-found; allowed: bob')]);
  const answered = await cli(['game-day', 'checkpoint', id, 'runbook-found', '--by', 'bob']);
  expect([answered.code, answered.stdout.trim()]).toEqual([0, `${id}: runbook-found answered by bob`]);
  const done = await started;
  expect(done.code).toBe(0);
  expect(done.stdout).toContain('# Game day: test day (plan cli-day)');
  expect(done.stdout).toContain('**Verdict: PASS**');
});

function runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'bin/gameday.js'), ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}
