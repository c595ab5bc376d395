/**
 * The workflow interceptor modules every worker and every workflow bundle installs (the input
 * bounds, the AWS call tally). One list, so a bundle built by a test, a script or the worker
 * carries the same interceptors (`bundleWorkflowCode({ workflowInterceptorModules })` or
 * `WorkerOptions.interceptors.workflowModules`).
 */
export const WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [
  require.resolve('../workflows/kit/input-bounds-interceptor'),
  require.resolve('../workflows/kit/aws-call-tally'),
];
