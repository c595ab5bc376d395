/**
 * Test-only workflows. `canaryProbeWorkflow` drives the canary exactly as a playbook does (`startCanary` … `stop()`,
 * then `readCanary`, `cleanupCanary` and `measure`), bundled by `test/canary-sql.test.ts`; `evidenceProbeWorkflow` records a report's evidence (`test/evidence.test.ts`).
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { PublishRunMetricsResult } from '../../activities/measurement-activities';
import type { CanaryReadResult, CanaryWriterResult, Measurement, RunReport } from '../../lib/measurement-types';
import { measure } from '../../lib/timeline';
import { startCanary } from '../../workflows/canary';
import { recordEvidence } from '../../workflows/evidence';
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

/** The note a probe adds about its metrics (as a playbook would). */
export function metricsNote(p: PublishRunMetricsResult): string {
  return `metrics: ${JSON.stringify(p)}`;
}

/**
 * Answers `reportQuery` with `report`, records its evidence, waits for `stopCanarySignal`, and
 * returns the report with a note on the metrics publication.
 */
export async function evidenceProbeWorkflow(report: RunReport): Promise<RunReport> {
  setHandler(reportQuery, () => report);
  let done = false;
  setHandler(stopCanarySignal, () => void (done = true));
  const published = await recordEvidence(report);
  await condition(() => done);
  return { ...report, notes: [...report.notes, metricsNote(published)] };
}
