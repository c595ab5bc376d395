/**
 * `stampGameDayTime`: one reading of the activities' clock and of the wall clock at the same
 * instant. A game day times its scenarios on both, and its human checkpoints on the wall clock
 * only (a person's time is never scaled by a simulated clock, see `lib/human-time.ts`).
 */
import type { Stamp } from '../../contracts/gameday';
import type { ActivityDeps } from '../deps';

/** Reads both clocks now. */
export async function stampGameDayTime(deps: ActivityDeps): Promise<Stamp> {
  return { at: deps.clock.now(), wallAt: Date.now() };
}
