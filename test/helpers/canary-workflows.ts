/**
 * A test-only workflow that drives the canary exactly as a playbook does (`startCanary` … `stop()`,
 * then `readCanary`, `cleanupCanary` and `measure`), bundled by `test/canary-sql.test.ts`.
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { CanaryReadResult, CanaryWriterResult, Measurement } from '../../lib/measurement-types';
import { measure } from '../../lib/timeline';
import { startCanary } from '../../workflows/canary';

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
