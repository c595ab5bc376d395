/**
 * Workflow-side handle of the canary writer: playbooks call
 *
 *   const canary = startCanary({ runbook, runId: workflowInfo().workflowId, maxDurationMs });
 *   … inject the fault, promote …
 *   const writer = await canary.stop();
 *
 * The writer activity runs in its own `CancellationScope`; `stop()` cancels that scope and, with
 * `WAIT_CANCELLATION_COMPLETED`, waits for the activity to *return* its `CanaryWriterResult`
 * (the activity catches the cancellation and completes normally). If the activity failed instead,
 * `stop()` returns the last heartbeat checkpoint marked with an `ackGap` (its later acks are
 * unknown) when there is one, else a result whose `unavailableReason` says why (RPO is then "not
 * measured" either way). `stop()` never throws.
 * Deterministic: imports only `@temporalio/workflow` and types.
 */
import type { Duration } from '@temporalio/common';
import { ActivityCancellationType, ActivityFailure, CancellationScope, TimeoutFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CanaryWriterCheckpoint } from '../activities/canary/canary-writer';
import type { CanaryWriterResult } from '../lib/measurement-types';

/** Options of `startCanary`. */
export interface StartCanaryOptions {
  /** Runbook name; its `canary` section says where to write. */
  readonly runbook: string;
  /** Canary run id; use the workflow id so rows are traceable to the run. */
  readonly runId: string;
  /** @default the runbook's canary.ratePerSecond */
  readonly ratePerSecond?: number;
  /** The writer stops by itself after this many clock ms. @default 4 h */
  readonly maxDurationMs?: number;
  /** Write here instead of the runbook's canary endpoint. */
  readonly endpointOverride?: string;
  /** Heartbeat timeout of the writer (cancellation arrives within ~80 % of it). @default '5s' */
  readonly heartbeatTimeout?: Duration;
}

/** A running canary writer. */
export interface CanaryHandle {
  /** Stops the writer and returns what it observed; safe to call more than once. */
  stop(): Promise<CanaryWriterResult>;
}

const DEFAULT_MAX_DURATION_MS = 4 * 60 * 60_000;

function describe(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return `${err.cause.name}: ${err.cause.message}`;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function checkpointOf(err: unknown): CanaryWriterCheckpoint | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (cause instanceof TimeoutFailure) {
    const details = cause.lastHeartbeatDetails as CanaryWriterCheckpoint | undefined;
    if (details && typeof details === 'object' && 'result' in details) return details;
  }
  return undefined;
}

/** Starts the canary writer activity in its own cancellation scope (see the module doc). */
export function startCanary(opts: StartCanaryOptions): CanaryHandle {
  const maxDurationMs = opts.maxDurationMs ?? DEFAULT_MAX_DURATION_MS;
  const { runCanaryWriter } = proxyActivities<Activities>({
    // Clock ms ≥ wall ms (sim clocks run faster), so this bounds the wall time too.
    startToCloseTimeout: maxDurationMs + 5 * 60_000,
    heartbeatTimeout: opts.heartbeatTimeout ?? '5s',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 5 },
  });
  const scope = new CancellationScope();
  const running = scope.run(() =>
    runCanaryWriter({
      runbook: opts.runbook,
      runId: opts.runId,
      maxDurationMs,
      ...(opts.ratePerSecond !== undefined ? { ratePerSecond: opts.ratePerSecond } : {}),
      ...(opts.endpointOverride !== undefined ? { endpointOverride: opts.endpointOverride } : {}),
    }),
  );
  const settled: Promise<CanaryWriterResult> = running.then(
    (r) => r,
    (err: unknown) => {
      const cp = checkpointOf(err);
      // The writer died for good: what it acked after its last checkpoint is unknown, so the
      // lost-write count and RPO are not measured (the checkpoint alone would undercount).
      if (cp)
        return {
          ...cp.result,
          ackGap:
            cp.result.ackGap ??
            `the canary writer activity failed (${describe(err)}) after its last checkpoint (next seq ${cp.nextSeq}); its later acks are not known`,
        };
      return {
        runId: opts.runId,
        ratePerSecond: opts.ratePerSecond ?? 0,
        acked: [],
        failedAttempts: 0,
        unavailableReason: `canary writer activity failed: ${describe(err)}`,
      };
    },
  );
  let stopped = false;
  return {
    stop(): Promise<CanaryWriterResult> {
      if (!stopped) {
        stopped = true;
        scope.cancel();
      }
      return settled;
    },
  };
}
