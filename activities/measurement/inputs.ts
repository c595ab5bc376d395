/**
 * Inputs and results of the measurement activities. Inputs carry runbook names and endpoints
 * only, never credentials: the canary connector resolves them.
 */
import type { RunReport } from '../../lib/measurement-types';

/** Input of `runCanaryWriter`. */
export interface RunCanaryWriterInput {
  /** Runbook name (file stem); its `canary` section says where to write. */
  readonly runbook: string;
  /** Canary run id (rows are keyed by it); use the workflow id. */
  readonly runId: string;
  /** @default the runbook's canary.ratePerSecond */
  readonly ratePerSecond?: number;
  /** Stop by itself after this many clock ms. */
  readonly maxDurationMs: number;
  /** Write here instead of the runbook's endpoint. */
  readonly endpointOverride?: string;
}

/** Input of `readCanary`. */
export interface ReadCanaryInput {
  readonly runbook: string;
  readonly runId: string;
  /** The endpoint to read: the new writer's cluster endpoint. */
  readonly endpoint: string;
  /** Inclusive seq range to check. @default all rows of the run */
  readonly fromSeq?: number;
  readonly toSeq?: number;
}

/** Input of `cleanupCanary`. */
export interface CleanupCanaryInput {
  readonly runbook: string;
  readonly runId: string;
  /** @default the runbook's canary endpoint */
  readonly endpoint?: string;
}

/** Result of `readPredictedRpo`: the prediction, or why there is none. */
export interface PredictedRpo {
  readonly predictedRpoMs?: number;
  /** Metric that gave the value, e.g. `AuroraGlobalDBRPOLag`. */
  readonly metric?: string;
  readonly secondaryClusterId?: string;
  readonly reason?: string;
}

/** Input of `publishRunMetrics`. */
export interface PublishRunMetricsInput {
  readonly report: RunReport;
  /** Runbook name; its primary region receives the metrics. */
  readonly runbook?: string;
  /** Explicit region (wins over the runbook). */
  readonly region?: string;
}

/** Result of `publishRunMetrics`. */
export interface PublishRunMetricsResult {
  readonly published: boolean;
  readonly region?: string;
  readonly metrics: readonly string[];
  /** True when a previous attempt had already published (no duplicate sample). */
  readonly alreadyPublished?: boolean;
  readonly reason?: string;
}
