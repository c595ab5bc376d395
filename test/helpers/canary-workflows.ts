/**
 * Test-only workflows. `canaryProbeWorkflow` drives the canary exactly as a playbook does (`startCanary` … `stop()`,
 * then `readCanary`, `cleanupCanary` and `measure`), bundled by `test/canary-sql.test.ts`; `evidenceProbeWorkflow` records a report's evidence (`test/evidence.test.ts`).
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { CanaryReadResult, CanaryWriterResult, Measurement, RunReport } from '../../lib/measurement-types';
import { measure } from '../../lib/timeline';
import { startCanary } from '../../workflows/canary';
import { finishRun } from '../../workflows/kit';
import { reportQuery } from '../../contracts/run';

/** Tells `canaryProbeWorkflow` to stop its canary. */
export const stopCanarySignal = defineSignal('stopCanary');

/** Input of `canaryProbeWorkflow`. */
export interface CanaryProbeInput {
  readonly runbook: string;
  readonly runId: string;
  readonly readEndpoint: string;
  readonly ratePerSecond?: number;
}

/** Output of `canaryProbeWorkflow`. */
export interface CanaryProbeOutput {
  readonly writer: CanaryWriterResult;
  readonly reader: CanaryReadResult;
  readonly deleted: number;
  readonly measurement: Measurement;
}

/** Runs the canary until signalled, reads it back, cleans up and measures. */
export async function canaryProbeWorkflow(input: CanaryProbeInput): Promise<CanaryProbeOutput> {
  const { readCanary, cleanupCanary } = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 3 } });
  let stop = false;
  setHandler(stopCanarySignal, () => void (stop = true));
  const canary = startCanary({
    runbook: input.runbook,
    runId: input.runId,
    maxDurationMs: 10 * 60_000,
    heartbeatTimeout: '2s',
    ...(input.ratePerSecond !== undefined ? { ratePerSecond: input.ratePerSecond } : {}),
  });
  await condition(() => stop);
  const writer = await canary.stop();
  const reader = await readCanary({ runbook: input.runbook, runId: input.runId, endpoint: input.readEndpoint });
  const { deleted } = await cleanupCanary({ runbook: input.runbook, runId: input.runId, endpoint: input.readEndpoint });
  const measurement = measure({ timeline: [], targets: { rpoMs: 5000, rtoMs: 900_000 }, canary: { writer, reader }, resolution: {} });
  return { writer, reader, deleted, measurement };
}

/**
 * Answers `reportQuery` with `report`, files it through the one evidence path (`finishRun`), waits
 * for `stopCanarySignal`, and returns the filed report (a note only when metrics were not published).
 */
export async function evidenceProbeWorkflow(report: RunReport): Promise<RunReport> {
  setHandler(reportQuery, () => report);
  let done = false;
  setHandler(stopCanarySignal, () => void (done = true));
  const filed = await finishRun(report, typeof report.details.runbook === 'string' ? { runbook: report.details.runbook } : {});
  await condition(() => done);
  return filed;
}
