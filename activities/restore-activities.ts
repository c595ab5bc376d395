import type { ActivityDeps } from './deps';

/** Activities of the restore playbook (placeholder until implemented). */
export function createRestoreActivities(_deps: ActivityDeps) {
  return {};
}
