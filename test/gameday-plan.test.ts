/**
 * Game-day plans: the schema and the runbook cross-checks report `file:line: field: message`
 * with the fix; the example plans validate; the worker's loader refuses a scenario whose playbook
 * is not on this build; `gameday validate` accepts plans (exit 0) and names problems (exit 2).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SCENARIO_WORKFLOW } from '../contracts/gameday';
import { loadGameDayPlan } from '../activities/gameday/load-game-day-plan';
import type { ActivityDeps } from '../activities/deps';
import { listGameDayPlans, loadGameDayPlanByName, parseGameDayPlan, SCENARIOS_NOT_YET_BUILT } from '../runbooks/gameday-load';
import { DEFAULT_RUNBOOK_DIR, formatIssue, RunbookValidationError } from '../runbooks/load';
import * as workflows from '../workflows';

const ROOT = resolve(__dirname, '..');

function problems(yaml: string): string[] {
  try {
    parseGameDayPlan(yaml, 'bad', DEFAULT_RUNBOOK_DIR, 'bad.yaml');
  } catch (err) {
    if (err instanceof RunbookValidationError) return err.issues.map(formatIssue);
    throw err;
  }
  return [];
}

test('the example plans validate and resolve each scenario to its workflow and child input', () => {
  expect(listGameDayPlans()).toEqual(expect.arrayContaining(['payments-q4', 'payments-dr-rehearsal']));
  const q4 = loadGameDayPlanByName('payments-q4');
  expect(q4.scenarios.map((s) => s.kind)).toEqual([
    'preflight',
    'instance-termination',
    'az-loss',
    'region-cut',
    'region-promotion',
    'restore-verification',
  ]);
  const promo = q4.scenarios.find((s) => s.kind === 'region-promotion')!;
  expect(promo).toMatchObject({
    workflowType: 'regionPromotionWorkflow',
    requiredWorkflowId: 'promote-payments-global',
    input: { runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'switchover', failback: true },
    hypothesis: { rtoMaxMs: 900_000, rpoMaxMs: 5000, verdict: 'pass' },
  });
  expect(q4.checkpoints.map((c) => [c.name, c.who, c.timeoutMs, c.measures])).toEqual([
    ['alert-paged', ['bob', 'alice'], 900_000, 'time-to-alert'],
    ['runbook-found', ['bob'], 900_000, 'time-to-act'],
  ]);
});

test('schema problems name file:line, the field and the fix', () => {
  const yaml = `title: x
runbooks: [payments-prod]
scenarios:
  - kind: az-loss
    az: us-east-1a
    hypothesis: { text: t, rto: 1 minute }
  - kind: chaos-monkey
    hypothesis: { text: t }
checkpoints:
  - { name: a, prompt: p, after: nope, answeredBy: [carol] }
`;
  expect(problems(yaml)).toEqual([
    'bad.yaml:6: scenarios.0.hypothesis.rto: expected a duration such as 0s, 30s, 1m, 15m or 4h',
    'bad.yaml:7: scenarios.1.kind: expected kind: preflight, az-loss, region-cut, instance-termination, region-promotion, restore-verification or backtrack-drill',
  ]);
  // The cross-field rules run once every field parses.
  const fixed = yaml.replace('1 minute', '1m').replace('kind: chaos-monkey', 'kind: preflight');
  expect(problems(fixed)).toEqual([
    'bad.yaml:10: checkpoints.0.after: no scenario with id nope; expected one of az-loss, preflight',
    'bad.yaml:10: checkpoints.0.answeredBy.0: carol is neither a participant nor a role; add it to participants or fix the name',
  ]);
});

test('runbook cross-checks: unknown runbook, a region that is not a member, Backtrack on PostgreSQL', () => {
  const yaml = `title: x
runbooks: [payments-prod, nope-prod]
scenarios:
  - { kind: region-promotion, targetRegion: eu-west-1, hypothesis: { text: t } }
  - { kind: backtrack-drill, hypothesis: { text: t } }
`;
  const p = problems(yaml);
  expect(p[0]).toMatch(/^bad\.yaml:2: runbooks\.1: no runbook named "nope-prod"/);
  expect(p.slice(1)).toEqual([
    'bad.yaml:4: scenarios.0.targetRegion: region-promotion on runbook payments-prod: eu-west-1 is not a member region (us-east-1, us-west-2)',
    'bad.yaml:5: scenarios.1.kind: backtrack-drill on runbook payments-prod: a Backtrack drill needs Aurora MySQL with aurora.backtrackWindow; pick a runbook that has it',
  ]);
});

test('every kind maps to a workflow; the kinds not yet built are exactly those whose workflow is not exported', () => {
  const exported = new Set(Object.keys(workflows));
  for (const [kind, type] of Object.entries(SCENARIO_WORKFLOW)) {
    // When a scenario's playbook lands, remove its kind from SCENARIOS_NOT_YET_BUILT (runbooks/gameday-load.ts).
    expect([kind, exported.has(type)]).toEqual([kind, !SCENARIOS_NOT_YET_BUILT.has(kind as never)]);
  }
});

test('the worker loads the full payments plan (every scenario built) and refuses a bad input before anything runs', async () => {
  const deps = { runbookDir: DEFAULT_RUNBOOK_DIR, aws: { mode: 'sim' }, clock: { scale: 60 } } as unknown as ActivityDeps;
  const q4 = await loadGameDayPlan(deps, { plan: 'payments-q4' });
  expect(q4.scenarios.map((s) => s.workflowType)).toEqual(
    expect.arrayContaining(['instanceTerminationWorkflow', 'regionCutWorkflow', 'regionPromotionWorkflow']),
  );
  await expect(loadGameDayPlan(deps, { plan: '../etc/passwd' })).rejects.toMatchObject({
    message: expect.stringMatching(/plan: expected a plan name/),
  });
  await expect(loadGameDayPlan(deps, { plan: 'payments-q4', extra: 1 } as never)).rejects.toMatchObject({
    message: expect.stringMatching(/unknown field\(s\) "extra"/),
  });
  await expect(loadGameDayPlan(deps, { plan: 'payments-dr-rehearsal' })).resolves.toMatchObject({ awsMode: 'sim', clockScale: 60 });
});

test('gameday validate accepts plans (exit 0, what they run) and exits 2 naming file:line', () => {
  const ok = spawnSync(process.execPath, [join(ROOT, 'bin/gameday.js'), 'validate', 'runbooks/gamedays/payments-q4.yaml'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(ok.status).toBe(0);
  expect(ok.stdout).toContain('preflight → instance-termination → az-loss → region-cut → region-promotion → restore-verification');
  expect(ok.stdout).not.toContain('not on this build yet');
  const dir = mkdtempSync(join(tmpdir(), 'gameday-plan-'));
  writeFileSync(
    join(dir, 'bad.yaml'),
    'title: x\nrunbooks: [payments-prod]\nscenarios:\n  - { kind: preflight, hypothesis: { text: t }, foo: 1 }\n',
  );
  const bad = spawnSync(process.execPath, [join(ROOT, 'bin/gameday.js'), 'validate', join(dir, 'bad.yaml')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(bad.status).toBe(2);
  expect(bad.stdout).toContain(`${join(dir, 'bad.yaml')}:4: scenarios.0: unknown field "foo": remove it or check the spelling`);
});
