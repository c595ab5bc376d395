/**
 * A timeline event stamped by the activities' clock, for moments the workflow cannot time itself
 * (a person's decision, a request).
 */
import type { ActivityDeps } from '../deps';
import type { TimelineEvent, TimelineEventName } from '../../lib/measurement-types';
import { activityHooks } from './activity-context';

/** Stamps `name` with the activities' clock and, since a person's time is never scaled, the wall clock. */
export async function stampEvent(
  deps: ActivityDeps,
  input: { readonly name: TimelineEventName; readonly source: string; readonly detail?: string },
): Promise<TimelineEvent> {
  activityHooks().heartbeat();
  return {
    name: input.name,
    at: deps.clock.now(),
    wallAt: Date.now(),
    source: input.source,
    ...(input.detail !== undefined ? { detail: input.detail } : {}),
  };
}
