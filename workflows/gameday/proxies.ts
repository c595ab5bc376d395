/** Activity proxies of `gameDayWorkflow`: plan loading (no retry of a bad plan) and clock stamps. */
import { proxyActivities } from '@temporalio/workflow';
import type { GameDayActivities } from '../../activities';

/** The game day's activities. */
export const dayActivities = proxyActivities<GameDayActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5, nonRetryableErrorTypes: ['InvalidGameDayPlan'] },
});
