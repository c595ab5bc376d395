/** The run kit (see `run.ts`): what every playbook workflow is written on. Not a workflow module. */
export { Run, type RunEnd, type StepOptions, type Playbook } from './run';
export { RunAborted } from './abort-policy';
export { failureMessage, failureType, runFailure } from './failure';
export { finishRun, verdictOf, evidenceSearchAttributes, withAwsCalls } from './finish-run';
export { awsCallTally } from './aws-call-tally';
export type { UndoResult } from './undo-stack';
export { ApprovalGate, type Decision, type DecisionRequest, type DecisionResult } from './approval-gate';
export { stopFisExperimentOrFail } from './fis-experiment-stop';
