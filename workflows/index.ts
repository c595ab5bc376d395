/** The workflow functions the worker registers; each lives in its own file. */
export * from './preflight-workflow';
export * from './restore-verification-workflow';
export * from './backtrack-drill-workflow';
export * from './orphan-sweeper-workflow';
export * from './az-loss-workflow';
export * from './fis-templates-workflow';
export * from './region-promotion-workflow';
export * from './traffic-shift-workflow';
export * from './game-day-workflow';
export * from './region-cut-workflow';
export * from './instance-termination-workflow';
