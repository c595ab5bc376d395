/**
 * Loads game-day plans (`runbooks/gamedays/<name>.yaml`) and resolves them against the runbooks
 * they name: every problem is reported as `file:line: field: message` with the fix, the same way
 * runbook errors are, before anything runs. The result is the `GameDayPlan` the workflow runs:
 * each scenario with its workflow type, child input, runbook targets and hypothesis in ms.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GameDayPlan, Hypothesis, PlannedCheckpoint, PlannedScenario, ScenarioKind } from '../contracts/gameday';
import { SCENARIO_WORKFLOW } from '../contracts/gameday';
import { targetsFor } from '../lib/tiers';
import { GameDayPlanSchema, type GameDayPlanFile, type ScenarioEntry } from './gameday-schema';
import {
  DEFAULT_RUNBOOK_DIR,
  issuesOf,
  loadRunbookByName,
  parseYamlText,
  readRunbookText,
  RunbookValidationError,
  type RunbookIssue,
} from './load';
import { parseDuration, type Runbook } from './schema';

/** Folder of game-day plans inside the runbook folder. */
export const GAMEDAY_SUBDIR = 'gamedays';

/**
 * Scenario kinds whose playbook is not on this build yet (built in parallel, issue 14 items 4
 * and 5): a plan may name them (`gameday validate` says so), but the worker refuses to run such a
 * plan, naming the missing workflow, instead of starting a child no worker can run. Remove a kind
 * here when its workflow is exported from `workflows/index.ts` (test/gameday-plan.test.ts checks).
 */
export const SCENARIOS_NOT_YET_BUILT: ReadonlySet<ScenarioKind> = new Set<ScenarioKind>();

/** The game-day folder of a runbook folder. */
export function gameDayDir(runbookDir = DEFAULT_RUNBOOK_DIR): string {
  return join(runbookDir, GAMEDAY_SUBDIR);
}

/** Plan names (file stems) in the game-day folder of `runbookDir`. */
export function listGameDayPlans(runbookDir = DEFAULT_RUNBOOK_DIR): string[] {
  const dir = gameDayDir(runbookDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

export { looksLikeGameDayPlan } from './plan-sniff';

const ms = (d: string | undefined): number | undefined => (d === undefined ? undefined : parseDuration(d));

function hypothesisOf(h: ScenarioEntry['hypothesis']): Hypothesis {
  const rto = ms(h.rto);
  const rpo = ms(h.rpo);
  return {
    text: h.text,
    ...(rto !== undefined ? { rtoMaxMs: rto } : {}),
    ...(rpo !== undefined ? { rpoMaxMs: rpo } : {}),
    ...(h.verdict ? { verdict: h.verdict } : {}),
    ...(h.ready !== undefined ? { ready: h.ready } : {}),
  };
}

/** The child input of a scenario (the fields its playbook takes). */
function childInput(s: ScenarioEntry, runbook: string): Record<string, unknown> {
  const { kind, id: _id, runbook: _rb, hypothesis: _h, continueOnFailure: _c, ...params } = s;
  void kind;
  return { runbook, ...params };
}

/** What a scenario kind needs of its runbook; `undefined` when the runbook has it. */
function runbookProblem(s: ScenarioEntry, rb: Runbook): { field: string; message: string } | undefined {
  switch (s.kind) {
    case 'region-promotion': {
      const a = rb.aurora;
      if (!a?.globalClusterId)
        return { field: 'kind', message: 'the runbook has no aurora.globalClusterId: region promotion needs a global database' };
      if (!a.members.some((m) => m.region === s.targetRegion))
        return {
          field: 'targetRegion',
          message: `${s.targetRegion} is not a member region (${a.members.map((m) => m.region).join(', ')})`,
        };
      return undefined;
    }
    case 'az-loss':
      return rb.fis ? undefined : { field: 'kind', message: 'the runbook has no fis section: an AZ loss needs one' };
    case 'region-cut':
      return rb.route53 ? undefined : { field: 'kind', message: 'the runbook has no route53 section: a region cut measures DNS failover' };
    case 'instance-termination': {
      const groups = rb.fis?.autoScalingGroups ?? [];
      if (s.autoScalingGroup !== undefined && !groups.includes(s.autoScalingGroup))
        return {
          field: 'autoScalingGroup',
          message: `${s.autoScalingGroup} is not in the runbook's fis.autoScalingGroups (${groups.join(', ')})`,
        };
      return groups.length > 0 ? undefined : { field: 'kind', message: 'the runbook lists no fis.autoScalingGroups' };
    }
    case 'restore-verification':
      return rb.aurora ? undefined : { field: 'kind', message: 'the runbook has no aurora section to restore' };
    case 'backtrack-drill':
      return rb.aurora?.engine === 'mysql' && rb.aurora.backtrackWindow
        ? undefined
        : { field: 'kind', message: 'a Backtrack drill needs Aurora MySQL with aurora.backtrackWindow; pick a runbook that has it' };
    default:
      return undefined;
  }
}

function scenarioOf(s: ScenarioEntry, rbName: string, rb: Runbook): PlannedScenario {
  const gc = rb.aurora?.globalClusterId;
  return {
    id: s.id ?? s.kind,
    kind: s.kind,
    workflowType: SCENARIO_WORKFLOW[s.kind],
    runbook: rbName,
    service: rb.service,
    environment: rb.environment,
    tier: rb.tier,
    targets: targetsFor(rb.tier, { rpoMs: ms(rb.targets?.rpo), rtoMs: ms(rb.targets?.rto) }),
    input: childInput(s, rbName),
    ...(s.kind === 'region-promotion' && gc ? { requiredWorkflowId: `promote-${gc}` } : {}),
    hypothesis: hypothesisOf(s.hypothesis),
    continueOnFailure: s.continueOnFailure,
  };
}

function checkpointsOf(plan: GameDayPlanFile): PlannedCheckpoint[] {
  return plan.checkpoints.map((c) => ({
    name: c.name,
    prompt: c.prompt,
    who: [
      ...new Set(
        c.answeredBy.flatMap((a) => [
          ...plan.participants.filter((p) => p.role === a).map((p) => p.name),
          ...(plan.participants.some((p) => p.name === a) ? [a] : []),
        ]),
      ),
    ],
    timeoutMs: parseDuration(c.timeout),
    after: c.after,
    ...(c.measures ? { measures: c.measures } : {}),
  }));
}

/** Validates plan YAML text and resolves its runbooks from `runbookDir`; problems throw `RunbookValidationError`. */
export function parseGameDayPlan(
  text: string,
  name: string,
  runbookDir = DEFAULT_RUNBOOK_DIR,
  file = name,
): Omit<GameDayPlan, 'awsMode' | 'clockScale'> {
  const { value, lineFor } = parseYamlText(text, file);
  const parsed = GameDayPlanSchema.safeParse(value);
  if (!parsed.success) throw new RunbookValidationError(issuesOf(parsed.error, file, lineFor));
  const plan = parsed.data;
  const issues: RunbookIssue[] = [];
  const issue = (path: (string | number)[], message: string): void => {
    issues.push({ file, line: lineFor(path), path: path.join('.'), message });
  };
  const runbooks = new Map<string, Runbook>();
  plan.runbooks.forEach((rb, i) => {
    try {
      runbooks.set(rb, loadRunbookByName(rb, runbookDir));
    } catch (err) {
      if (!(err instanceof RunbookValidationError)) throw err;
      issue(['runbooks', i], err.issues.map((x) => x.message).join('; '));
    }
  });
  const scenarios: PlannedScenario[] = [];
  plan.scenarios.forEach((s, i) => {
    const rbName = s.runbook ?? plan.runbooks[0]!;
    const rb = runbooks.get(rbName);
    if (!rb) return; // reported above
    const problem = runbookProblem(s, rb);
    if (problem) return issue(['scenarios', i, problem.field], `${s.kind} on runbook ${rbName}: ${problem.message}`);
    scenarios.push(scenarioOf(s, rbName, rb));
  });
  if (issues.length > 0) throw new RunbookValidationError(issues);
  return { name, title: plan.title, runbooks: plan.runbooks, participants: plan.participants, scenarios, checkpoints: checkpointsOf(plan) };
}

/** Reads and validates one plan file. */
export function loadGameDayPlanFile(path: string, runbookDir = DEFAULT_RUNBOOK_DIR): Omit<GameDayPlan, 'awsMode' | 'clockScale'> {
  if (!existsSync(resolve(path))) throw new RunbookValidationError([{ file: path, path: '', message: 'file not found' }]);
  const name = path.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  return parseGameDayPlan(readRunbookText(resolve(path)), name, runbookDir, path);
}

/** Loads a plan by name from the game-day folder of `runbookDir`; the name must be a plain file stem. */
export function loadGameDayPlanByName(name: string, runbookDir = DEFAULT_RUNBOOK_DIR): Omit<GameDayPlan, 'awsMode' | 'clockScale'> {
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new RunbookValidationError([
      {
        file: '<input>',
        path: 'plan',
        message: 'expected a plan name such as "payments-q4" (a file stem in runbooks/gamedays/, no path), e.g. {"plan":"payments-q4"}',
      },
    ]);
  }
  const dir = gameDayDir(runbookDir);
  const file = ['.yaml', '.yml'].map((ext) => join(dir, `${name}${ext}`)).find((f) => existsSync(f));
  if (!file) {
    throw new RunbookValidationError([
      {
        file: name,
        path: 'plan',
        message: `no game-day plan named "${name}" in ${dir}; known: ${listGameDayPlans(runbookDir).join(', ') || 'none'}`,
      },
    ]);
  }
  return parseGameDayPlan(readRunbookText(file), name, runbookDir, file);
}
