/**
 * A workflow inbound interceptor that refuses an oversized workflow input before the workflow
 * issues any command: a string field over `MAX_INPUT_STRING` characters, or an input whose
 * strings add up to over `MAX_INPUT_CHARS`, fails the run at once with a non-retryable
 * `InvalidWorkflowInput` naming the field, instead of travelling on into activity inputs, history
 * and failures. The largest legitimate field is a runbook's YAML text (`MAX_RUNBOOK_BYTES`).
 * Registered by `composeWorker` (`interceptors.workflowModules`). Deterministic: inputs of runs
 * already recorded are small, so replay takes the same path.
 */
import { ApplicationFailure, type WorkflowInboundCallsInterceptor, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** Longest string any workflow input field may hold (a runbook's YAML text: 256 KiB). */
export const MAX_INPUT_STRING = 256 * 1024;
/** Most characters of strings an input may hold in all. */
export const MAX_INPUT_CHARS = 320 * 1024;

/** Why `args` is too large, naming the field; `undefined` when within bounds. */
export function inputBoundProblem(args: readonly unknown[]): string | undefined {
  let total = 0;
  const stack: [unknown, string][] = args.map((a, i) => [a, args.length > 1 ? `args.${i}` : '']);
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      total += v.length;
      if (v.length > MAX_INPUT_STRING)
        return `${path || '(input)'}: ${v.length} characters; a workflow input field holds at most ${MAX_INPUT_STRING}: give a runbook name, not its content`;
      if (total > MAX_INPUT_CHARS) return `${path || '(input)'}: the input holds over ${MAX_INPUT_CHARS} characters in all; shorten it`;
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) stack.push([child, path ? `${path}.${k}` : k]);
    }
  }
  return undefined;
}

/** Refuses oversized input before the workflow function runs. */
class InputBoundsInterceptor implements WorkflowInboundCallsInterceptor {
  async execute(
    input: Parameters<NonNullable<WorkflowInboundCallsInterceptor['execute']>>[0],
    next: Parameters<NonNullable<WorkflowInboundCallsInterceptor['execute']>>[1],
  ): Promise<unknown> {
    const problem = inputBoundProblem(input.args);
    if (problem) throw ApplicationFailure.create({ type: 'InvalidWorkflowInput', message: problem, nonRetryable: true });
    return next(input);
  }
}

/** The module's interceptors (Temporal loads `interceptors` from each of `workflowModules`). */
export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [new InputBoundsInterceptor()] });
