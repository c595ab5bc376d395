/** Activities of `gameDayWorkflow`: load the plan, read the clocks. */
import type { ActivityDeps } from '../deps';
import type { GameDayInput } from '../../contracts/gameday';
import { loadGameDayPlan } from './load-game-day-plan';
import { stampGameDayTime } from './stamp-game-day-time';

/** The game day's activities bound to `deps`. */
export function createGameDayActivities(deps: ActivityDeps) {
  return {
    loadGameDayPlan: (input: GameDayInput) => loadGameDayPlan(deps, input),
    stampGameDayTime: () => stampGameDayTime(deps),
  };
}

/** Steps of `gameDayWorkflow`. */
export type GameDayActivities = ReturnType<typeof createGameDayActivities>;
