/** The workflow functions the worker registers; each lives in its own file. */
export * from './preflight-workflow';
