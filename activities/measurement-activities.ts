import type { ActivityDeps } from './deps';

/** Activities of the measurement playbook (placeholder until implemented). */
export function createMeasurementActivities(_deps: ActivityDeps) {
  return {};
}
