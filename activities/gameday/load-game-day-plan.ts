/**
 * `loadGameDayPlan`: the first activity of a game day. Loads the plan by name from the worker's
 * game-day folder (or validates the YAML the CLI sent), resolves its runbooks and refuses, before
 * any AWS call, a plan with a problem (`InvalidGameDayPlan`, `file:line: field: message`) or a
 * scenario whose playbook this worker does not have yet.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { GameDayInput, GameDayPlan } from '../../contracts/gameday';
import { loadGameDayPlanByName, parseGameDayPlan, SCENARIOS_NOT_YET_BUILT } from '../../runbooks/gameday-load';
import { RunbookValidationError } from '../../runbooks/load';
import type { ActivityDeps } from '../deps';

/** Failure type of a plan that does not validate (non-retryable). */
export const INVALID_GAMEDAY_PLAN = 'InvalidGameDayPlan';

function invalid(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: INVALID_GAMEDAY_PLAN, message, nonRetryable: true });
}

/** Validates the input and the plan, returns the resolved plan. No AWS call. */
export async function loadGameDayPlan(deps: ActivityDeps, input: GameDayInput): Promise<GameDayPlan> {
  if (!input || typeof input !== 'object' || typeof input.plan !== 'string') {
    throw invalid('plan: required: the plan name, e.g. {"plan":"payments-q4"} (a file stem in runbooks/gamedays/)');
  }
  const extra = Object.keys(input).filter((k) => k !== 'plan' && k !== 'planYaml');
  if (extra.length > 0) throw invalid(`unknown field(s) ${extra.map((k) => `"${k}"`).join(', ')}; expected {"plan":"payments-q4"}`);
  let plan: Omit<GameDayPlan, 'awsMode' | 'clockScale'>;
  try {
    plan =
      input.planYaml !== undefined
        ? parseGameDayPlan(input.planYaml, input.plan, deps.runbookDir)
        : loadGameDayPlanByName(input.plan, deps.runbookDir);
  } catch (err) {
    if (err instanceof RunbookValidationError) throw invalid(err.message);
    throw err;
  }
  const missing = plan.scenarios.filter((s) => SCENARIOS_NOT_YET_BUILT.has(s.kind));
  if (missing.length > 0) {
    throw invalid(
      missing
        .map(
          (s) =>
            `scenarios.${s.id}: ${s.workflowType} is not on this worker yet (${s.kind}); remove the scenario from plan ${plan.name} or deploy a worker that has it`,
        )
        .join('\n'),
    );
  }
  return { ...plan, awsMode: deps.aws.mode, clockScale: deps.clock.scale };
}
