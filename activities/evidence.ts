/**
 * The evidence group: what every measuring playbook calls once at its end (`finishRun`).
 * Workflows import the type only.
 */
import type { Activities } from './index';

/** Activities of the evidence path: the run metrics (CloudWatch namespace `Gameday`). */
export type EvidenceActivities = Pick<Activities, 'publishRunMetrics'>;
