import type { ActivityDeps } from './deps';

/** Activities of the az-loss playbook (placeholder until implemented). */
export function createAzLossActivities(_deps: ActivityDeps) {
  return {};
}
