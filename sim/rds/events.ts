/** The RDS event log of the simulated Aurora (`DescribeEvents`). */
import type { RdsEvent } from '../../activities/aws/ports';
import { MIN, type RdsState } from './state';

/** `DescribeEvents` in `region`: events since `startTime` (default: the last hour), oldest first. */
export function describeEvents(
  rds: RdsState,
  region: string,
  input: { readonly startTime?: number; readonly sourceIdentifier?: string },
): RdsEvent[] {
  const since = input.startTime ?? rds.world.now() - 60 * MIN;
  return rds.events
    .filter((e) => e.region === region && e.date >= since && e.date <= rds.world.now())
    .filter((e) => input.sourceIdentifier === undefined || e.sourceIdentifier === input.sourceIdentifier)
    .sort((a, b) => a.date - b.date)
    .map(({ region: _r, ...e }) => ({ ...e, eventCategories: [...e.eventCategories] }));
}
