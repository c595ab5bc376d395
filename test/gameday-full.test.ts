/**
 * The issue's example game day end to end from the CLI, as a person runs it: the spawned
 * `gameday game-day start --plan payments-q4` process starts the day against a real worker on the
 * real dev server and the simulated AWS, and follows it; the test reads only what the CLI prints
 * and does what it says: `gameday approve <child>` when the promotion waits for approval,
 * `gameday game-day checkpoint <day> <name>` when a checkpoint opens. The scorecard the CLI prints
 * (--json) is the day's result, and every figure in it agrees with the sim's ground truth within
 * the window the report states (test/helpers/gameday-truth.ts); the day leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { PreflightReport } from '../contracts/preflight';
import type { RunReport } from '../lib/measurement-types';
import type { Scorecard } from '../lib/scorecard';
import { expectNothingLeft, expectScorecardMatchesTruth, truthTable } from './helpers/gameday-truth';
import { startPromotionHarness, type PromotionHarness } from './helpers/promotion-fixture';

/** Simulated ms per wall ms: the whole day (about 4 simulated hours) in well under a minute of wall time. */
const SCALE = 600;
jest.setTimeout(150_000);
let w: PromotionHarness;
beforeAll(async () => {
  w = await startPromotionHarness('gameday-full', { scale: SCALE });
});
afterAll(async () => {
  await w?.shutdown();
});

const BIN = join(__dirname, '..', 'bin/gameday.js');

function gameday(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args, '--task-queue', w.taskQueue], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs one CLI command to its end. */
function cli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = gameday(args);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Record sets of the payments zone (what a traffic shift changes). */
async function paymentsRecords(): Promise<unknown> {
  return w.sim.route53({ region: 'us-east-1' }).listResourceRecordSets({ hostedZoneId: 'Z0PAYMENTS0001', name: 'db.payments.example.com' });
}

test('payments-q4 from the CLI: started, approved and answered by CLI commands; one scorecard that agrees with the ground truth', async () => {
  const t0 = Date.now();
  const id = `gameday-q4-cli-${Date.now()}`;
  const recordsBefore = await paymentsRecords();
  const day = gameday(['game-day', 'start', '--plan', 'payments-q4', '--id', id, '--json']);
  let stdout = '';
  let stderr = '';
  const answers: Promise<{ code: number | null; stdout: string; stderr: string }>[] = [];
  const asked: string[] = [];
  day.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  day.stderr!.on('data', (d: Buffer) => {
    const before = stderr.length;
    stderr += d.toString();
    // React to each complete new line the way a person at the terminal would.
    const fresh = stderr.slice(stderr.lastIndexOf('\n', before - 1) + 1, stderr.lastIndexOf('\n') + 1);
    for (const line of fresh.split('\n')) {
      const approve = /waiting for .*: gameday approve (\S+) --by NAME/.exec(line);
      if (approve && !asked.includes(approve[1]!)) {
        asked.push(approve[1]!);
        answers.push(cli(['approve', approve[1]!, '--by', 'sre-oncall', '--reason', 'payments Q4 game day']));
      }
      const cps = /waiting for answers to (.*): gameday game-day checkpoint/.exec(line);
      for (const m of cps ? cps[1]!.matchAll(/(?:^|; )([\w-]+) \("/g) : []) {
        if (asked.includes(m[1]!)) continue;
        asked.push(m[1]!);
        answers.push(cli(['game-day', 'checkpoint', id, m[1]!, '--by', 'bob', '--note', `answered from the CLI: ${m[1]}`]));
      }
    }
  });
  const code = await new Promise<number | null>((done, fail) => {
    day.once('error', fail);
    day.once('close', done);
  });
  const wallMs = Date.now() - t0;
  const replies = await Promise.all(answers);

  // What the person did, in the order the CLI asked for it, and every command was accepted.
  expect(asked).toEqual(['alert-paged', 'promote-payments-global', 'runbook-found']);
  expect(replies.map((r) => [r.code, r.stderr])).toEqual(replies.map(() => [0, '']));
  expect(replies.map((r) => r.stdout.trim())).toEqual([
    `${id}: alert-paged answered by bob`,
    'promote-payments-global: approved by sre-oncall',
    `${id}: runbook-found answered by bob`,
  ]);
  expect(stderr).toContain(`started gameDayWorkflow ${id} (plan payments-q4)`);

  // The CLI's scorecard is the day's result; exit 1 exactly when the verdict is fail.
  const sc = JSON.parse(stdout) as Scorecard;
  expect(sc).toEqual(await w.client.workflow.getHandle(id).result());
  expect(code).toBe(sc.verdict === 'fail' ? 1 : 0);
  expect([sc.plan, sc.outcome, sc.awsMode]).toEqual(['payments-q4', 'completed', 'sim']);
  expect(sc.scenarios.map((s) => [s.id, s.outcome])).toEqual([
    ['preflight', 'completed'],
    ['instance-termination', 'completed'],
    ['az-loss', 'completed'],
    ['region-cut', 'completed'],
    ['region-promotion', 'completed'],
    ['restore-verification', 'completed'],
  ]);
  expect(sc.human.map((h) => [h.checkpoint, h.state, h.by, h.ok, h.note])).toEqual([
    ['alert-paged', 'answered', 'bob', true, 'answered from the CLI: alert-paged'],
    ['runbook-found', 'answered', 'bob', true, 'answered from the CLI: runbook-found'],
  ]);

  // Every figure against the sim's ground truth, within the window its report states.
  const reports: Record<string, RunReport | PreflightReport> = {};
  for (const s of sc.scenarios) reports[s.id] = await w.client.workflow.getHandle(s.workflowId!, s.runId!).result();
  expect((reports['region-promotion'] as RunReport).details.failback).toMatchObject({ status: 'completed' });
  const checks = expectScorecardMatchesTruth(sc, reports, w.sim);
  expect(checks.map((c) => `${c.scenario} ${c.figure}`)).toEqual([
    'instance-termination asg-desired-healthy-capacity',
    'instance-termination target-group-healthy',
    'instance-termination service-alarm-ok',
    'instance-termination RTO (last of the three)',
    'az-loss aurora:payments-use1',
    'az-loss elasticache:payments-sessions',
    'az-loss RTO (service downtime)',
    'az-loss RPO',
    'region-cut route53-health-checks-failed',
    'region-cut RTO (DNS answers the secondary)',
    'region-cut health-alarms-fired',
    'region-promotion promotion-finished',
    'region-promotion traffic-converged',
    'region-promotion RPO',
    'restore-verification RTO (restore duration)',
    'restore-verification RPO (restore point lag)',
  ]);
  expectNothingLeft(
    w.sim,
    sc.scenarios.map((s) => s.workflowId!),
  );
  expect(await paymentsRecords()).toEqual(recordsBefore);
  process.stdout.write(
    `payments-q4 from the CLI: ${wallMs} ms wall, verdict ${sc.verdict} (${sc.scenarios.map((s) => `${s.id} ${s.verdict}`).join(', ')}), sim at ${SCALE}×\n${truthTable(checks)}\n`,
  );
});
