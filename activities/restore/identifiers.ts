/**
 * Deterministic names and ownership tags of the temporary resources a restore drill creates.
 * Derived from the workflow id only, so a retried activity (or a workflow task replayed on another
 * worker after a crash) always targets the same cluster and instance: read-before-write works and
 * cleanup can never lose track of what was created.
 */
import { createHash } from 'node:crypto';

/** Tag key marking a resource as created (and owned) by gameday. */
export const OWNER_TAG = 'gameday:owner';
/** Value of {@link OWNER_TAG}. */
export const OWNER_VALUE = 'gameday';
/** Tag key holding the id of the workflow that created the resource. */
export const WORKFLOW_ID_TAG = 'gameday:workflow-id';
/** Tag key holding the run id of the workflow that created the resource (the sweeper asks Temporal whether it is open). */
export const RUN_ID_TAG = 'gameday:run-id';
/** Tag key holding the creation time (ISO 8601, by the activity clock). */
export const CREATED_AT_TAG = 'gameday:created-at';
/** Tag key naming the drill kind (`restore-verification`). */
export const PURPOSE_TAG = 'gameday:purpose';

/** Prefix of every temporary cluster identifier (the sweeper only ever touches tagged ones). */
export const TEMP_CLUSTER_PREFIX = 'gameday-rv-';

/** Identifiers of the temporary cluster and its single instance. */
export interface TempResourceIds {
  readonly clusterId: string;
  readonly instanceId: string;
}

/**
 * `gameday-rv-<12 hex of sha256(workflowId)>` and `<cluster>-1`: valid RDS identifiers (letter
 * first, ≤ 63 chars, no `--`), stable for a workflow id, distinct across workflow ids.
 */
export function tempResourceIds(workflowId: string): TempResourceIds {
  const digest = createHash('sha256').update(workflowId).digest('hex').slice(0, 12);
  const clusterId = `${TEMP_CLUSTER_PREFIX}${digest}`;
  return { clusterId, instanceId: `${clusterId}-1` };
}

/** The ownership tags put on both temporary resources: owner, workflow id and run id, creation time, purpose. */
export function ownershipTags(workflowId: string, createdAt: number, runId?: string): Record<string, string> {
  return {
    [OWNER_TAG]: OWNER_VALUE,
    [WORKFLOW_ID_TAG]: workflowId,
    ...(runId ? { [RUN_ID_TAG]: runId } : {}),
    [CREATED_AT_TAG]: new Date(createdAt).toISOString(),
    [PURPOSE_TAG]: 'restore-verification',
  };
}

/** True when `tags` say the resource belongs to the workflow `workflowId`. */
export function ownedBy(tags: Readonly<Record<string, string>>, workflowId: string): boolean {
  return tags[OWNER_TAG] === OWNER_VALUE && tags[WORKFLOW_ID_TAG] === workflowId;
}
