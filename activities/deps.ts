/**
 * What every activity factory receives: clients built once in the worker and bound here, so
 * activities stay thin and testable. The same deps serve real AWS and the simulated AWS.
 */
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { WorkerPolicy } from '../runbooks/blast-radius';
import type { AwsClients } from './aws/ports';
import type { CanaryConnector } from './canary/canary-store';

/** What every activity factory is given: AWS ports, clock, logger, runbook folder and canary connector. */
export interface ActivityDeps {
  readonly aws: AwsClients;
  /** Wall clock for real AWS, the sim's scaled clock for the simulated AWS. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Folder the runbooks are loaded from by name. */
  readonly runbookDir: string;
  /** Data plane of the canary: real databases or the sim. */
  readonly canary: CanaryConnector;
  /** The worker's blast radius (set by the composition root); absent = the runbook folder's union, inline YAML off. */
  readonly policy?: WorkerPolicy;
  /** Asks Temporal whether a workflow run is still open (the orphan sweeper's liveness check). */
  readonly workflows?: WorkflowLiveness;
}

/** Whether a workflow execution is still open, as Temporal says (describe workflow execution). */
export type WorkflowState = 'open' | 'closed' | 'not-found';

/** The sweeper's view of Temporal: one question, asked before each delete. */
export interface WorkflowLiveness {
  /** The state of run `runId` of `workflowId` (the latest run when `runId` is absent). */
  state(workflowId: string, runId?: string): Promise<WorkflowState>;
}
