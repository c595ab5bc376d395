import type { ActivityDeps } from './deps';

/** Activities of the preflight playbook (placeholder until implemented). */
export function createPreflightActivities(_deps: ActivityDeps) {
  return {};
}
