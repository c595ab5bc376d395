/**
 * `gameDayWorkflow`: a quarterly game day as one durable run. Loads the plan (`runbooks/gamedays/`,
 * validated before anything runs), then runs its scenarios in order as child workflows (the
 * existing playbooks, each with its own status, undo and report), opening the plan's human
 * checkpoints after the scenarios they follow, and ends with one scorecard: hypothesis against
 * measured figures per scenario, RTO / RPO per service, human timings, findings.
 *
 * - Live status through the kit's one `status` query and the UI's Current Details: the scenario,
 *   the child's step (mirrored by the child's kit), its RTO budget left, what person it waits for.
 * - Controls (Updates): `pauseGameDay` / `resumeGameDay`, `skipScenario`, `abortScenario`,
 *   `answerCheckpoint`; the kit's `abort` (or a cancellation) stops the whole day: the running
 *   child is cancelled and its own undo cleans up before the day ends `aborted`.
 * - A failed scenario ends the day (failed, scorecard attached) unless it has `continueOnFailure`.
 *
 * Start from the Temporal UI: type `gameDayWorkflow`, input `{"plan":"payments-q4"}`.
 */
import { ApplicationFailure, condition } from '@temporalio/workflow';
import type { GameDayInput } from '../contracts/gameday';
import { gameDayEvidence, withDayAwsCalls, type Scorecard } from '../lib/scorecard';
import { finishRun, Run, type RunEnd } from './kit';
import { runCheckpoints, registerCheckpoints } from './gameday/checkpoints';
import { registerControls } from './gameday/controls';
import { GameDay } from './gameday/day-state';
import { dayActivities } from './gameday/proxies';
import { runScenario } from './gameday/scenario-child';

/** Runs a game-day plan (see the module doc). */
export async function gameDayWorkflow(input: GameDayInput): Promise<Scorecard> {
  const run = new Run('gameDayWorkflow', ['load-plan'], undefined);
  const day = new GameDay(run);
  registerControls(day);
  registerCheckpoints(day);
  const scorecard = await run.execute({
    steps: () => runDay(run, day, input),
    finish: (end) => finish(day, end),
    failureType: 'GameDayFailed',
  });
  return scorecard!; // a day that returns has a plan, so a scorecard (only a bad plan has neither)
}

/** The day: load the plan, then each scenario (after a pause, unless skipped) and its checkpoints. */
async function runDay(run: Run, day: GameDay, input: GameDayInput): Promise<void> {
  const plan = await run.step('load-plan', () => dayActivities.loadGameDayPlan(input), {
    summary: (p) => `${p.title}: ${p.scenarios.map((s) => s.id).join(' → ')}`,
  });
  day.startedAt = await dayActivities.stampGameDayTime();
  day.plan = plan;
  run.runbook = plan.runbooks.join(', ');
  day.show();
  for (const s of plan.scenarios) {
    if (day.paused) await run.abort.guard(() => condition(() => !day.paused || day.skipNext !== undefined));
    const skip = day.skipNext;
    if (skip) {
      day.skipNext = undefined;
      day.record({ scenario: s, outcome: 'skipped', reason: `skipped by ${skip.by} while paused: ${skip.reason}`, by: skip.by });
      run.skip(s.id, `skipped by ${skip.by}: ${skip.reason}`);
      continue;
    }
    const r = await runScenario(run, day, s);
    await runCheckpoints(run, day, s.id);
    if ((r.outcome === 'failed' || r.outcome === 'aborted') && !s.continueOnFailure) {
      throw ApplicationFailure.create({
        type: 'ScenarioFailed',
        message: `${s.id} ${r.outcome}${r.reason ? `: ${r.reason}` : ''}; the plan does not continue after it (continueOnFailure: false)`,
        nonRetryable: true,
      });
    }
  }
}

/** The scorecard of any ending, filed through the one evidence path. */
async function finish(day: GameDay, end: RunEnd<void>): Promise<Scorecard | undefined> {
  if (!day.plan) return undefined; // the plan did not load: nothing ran, nothing to score
  const endedAt = await dayActivities.stampGameDayTime();
  const outcome = end.kind === 'completed' ? 'completed' : end.kind;
  day.final = day.scorecard({ outcome, ...(end.kind !== 'completed' ? { reason: end.reason } : {}), endedAt });
  // The UI's Current Details of an ended day: its verdict and each scenario's (not the last child's step).
  day.run.tracker.detail = `Verdict: ${day.final.verdict.toUpperCase()} — ${day.final.scenarios.map((s) => `${s.id} ${s.verdict}`).join(', ')}; ${day.final.findings.length} finding(s)`;
  day.show();
  const filed = await finishRun(gameDayEvidence(day.final, day.plan), { runbook: day.plan.runbooks[0] });
  day.final = withDayAwsCalls(day.final, filed.measurement.resolution);
  return day.final;
}
