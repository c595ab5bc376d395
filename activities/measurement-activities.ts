/**
 * Activities of the measurement (domain.md §3): the canary writer / reader / cleanup, the
 * predicted RPO from CloudWatch, and the evidence metrics of a finished run.
 * Inputs carry runbook names and endpoints only, never credentials: the connector resolves them.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { CanaryReadResult, CanaryWriterResult, RunReport } from '../lib/measurement-types';
import { resolvePolicedRunbook } from '../runbooks/blast-radius';
import type { Runbook } from '../runbooks/schema';
import { withAwsErrors } from './aws/errors';
import type { MetricDatum } from './aws/ports';
import type { CanaryTarget } from './canary/canary-store';
import { deleteCanaryRows, readCanaryRows } from './canary/canary-reader';
import { runCanaryWriterLoop, type CanaryWriterCheckpoint } from './canary/canary-writer';
import type { ActivityDeps } from './deps';

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

/** CloudWatch namespace of the evidence metrics. */
export const GAMEDAY_METRIC_NAMESPACE = 'Gameday';

/** Region of a Secrets Manager ARN (`arn:aws:secretsmanager:<region>:…`). */
export function secretRegion(arn: string): string {
  const region = arn.split(':')[3];
  if (!region)
    throw ApplicationFailure.nonRetryable(
      `canary.secretArn "${arn}" has no region; expected arn:aws:secretsmanager:<region>:<account>:secret:<name>`,
      'InvalidRunbook',
    );
  return region;
}

/** The canary target of a runbook; `undefined` with a reason when it has none. */
export function canaryTargetFromRunbook(rb: Runbook, endpointOverride?: string): { target?: CanaryTarget; reason?: string } {
  if (!rb.canary) return { reason: `runbook ${rb.service}-${rb.environment} has no canary section, so RPO cannot be measured` };
  if (!rb.aurora) return { reason: 'the canary needs aurora.engine to know the SQL dialect; add an aurora section' };
  return {
    target: {
      engine: rb.aurora.engine,
      endpoint: endpointOverride ?? rb.canary.endpoint,
      ...(rb.canary.port !== undefined ? { port: rb.canary.port } : {}),
      database: rb.canary.database,
      secretArn: rb.canary.secretArn,
      region: secretRegion(rb.canary.secretArn),
      table: rb.canary.table,
    },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Builds the measurement activities bound to `deps`. */
export function createMeasurementActivities(deps: ActivityDeps) {
  const load = (name: string): Runbook => {
    try {
      return resolvePolicedRunbook({ runbook: name }, deps).runbook;
    } catch (err) {
      throw ApplicationFailure.nonRetryable(errorText(err), 'RunbookValidationError');
    }
  };

  return {
    /**
     * Writes the canary at the runbook's rate until the workflow cancels this activity (or
     * `maxDurationMs`), then *returns* its result normally (with `WAIT_CANCELLATION_COMPLETED`
     * the workflow receives it as the activity's value). Heartbeats a checkpoint that a retried
     * attempt resumes from. Use through `startCanary` in `workflows/canary.ts`.
     */
    async runCanaryWriter(input: RunCanaryWriterInput): Promise<CanaryWriterResult> {
      const ctx = Context.current();
      const rb = load(input.runbook);
      const rate = input.ratePerSecond ?? rb.canary?.ratePerSecond ?? 10;
      const { target, reason } = canaryTargetFromRunbook(rb, input.endpointOverride);
      if (!target) return { runId: input.runId, ratePerSecond: rate, acked: [], failedAttempts: 0, unavailableReason: reason! };
      const log = deps.logger.child({ runId: input.runId, runbook: input.runbook, activity: 'runCanaryWriter' });
      let errorsLogged = 0;
      const resume = ctx.info.heartbeatDetails as CanaryWriterCheckpoint | undefined;
      const result = await runCanaryWriterLoop({
        connector: deps.canary,
        target,
        runId: input.runId,
        ratePerSecond: rate,
        clock: deps.clock,
        maxDurationMs: input.maxDurationMs,
        signal: ctx.cancellationSignal,
        heartbeat: (cp) => ctx.heartbeat(cp),
        ...(resume?.result ? { resume } : {}),
        onError: (err, seq) => {
          // One line per outage start and then every 50th failure, not one per attempt.
          if (errorsLogged++ % 50 === 0) log.warn({ err, seq, endpoint: target.endpoint }, 'canary write failed');
        },
      });
      log.info(
        { acked: result.acked.length, spans: result.ackSpans?.length ?? 0, failedAttempts: result.failedAttempts },
        'canary writer stopped',
      );
      return result;
    },

    /** Reads which canary rows of the run are present on `endpoint` (the new writer). */
    async readCanary(input: ReadCanaryInput): Promise<CanaryReadResult> {
      const rb = load(input.runbook);
      const { target, reason } = canaryTargetFromRunbook(rb, input.endpoint);
      if (!target) return { presentSeqs: [], readAt: deps.clock.now(), unavailableReason: reason! };
      const ctx = Context.current();
      return readCanaryRows({
        connector: deps.canary,
        target,
        runId: input.runId,
        ...(input.fromSeq !== undefined ? { fromSeq: input.fromSeq } : {}),
        ...(input.toSeq !== undefined ? { toSeq: input.toSeq } : {}),
        clock: deps.clock,
        signal: ctx.cancellationSignal,
        onError: (err) => deps.logger.warn({ err, runId: input.runId, endpoint: input.endpoint }, 'canary read failed'),
      });
    },

    /** Deletes the run's canary rows (idempotent: a retry deletes 0). */
    async cleanupCanary(input: CleanupCanaryInput): Promise<{ deleted: number }> {
      const rb = load(input.runbook);
      const { target } = canaryTargetFromRunbook(rb, input.endpoint);
      if (!target) return { deleted: 0 };
      return { deleted: await deleteCanaryRows(deps.canary, target, input.runId) };
    },

    /**
     * Predicted RPO before the fault: the maximum of `AuroraGlobalDBRPOLag` (or, when absent,
     * `AuroraGlobalDBReplicationLag`) over the last 5 minutes on the secondary cluster, in its
     * region (namespace AWS/RDS, dimension DBClusterIdentifier). Undefined with a reason otherwise.
     */
    async readPredictedRpo(input: { runbook: string }): Promise<PredictedRpo> {
      const rb = load(input.runbook);
      if (!rb.aurora?.globalClusterId)
        return { reason: 'no Aurora global database in the runbook: there is no replication lag to predict from' };
      const secondary = rb.aurora.members.find((m) => m.region !== rb.aurora!.primaryRegion);
      if (!secondary) return { reason: 'the global database has no secondary member in the runbook' };
      const cw = deps.aws.cloudwatch({ region: secondary.region, accountId: rb.account });
      const now = deps.clock.now();
      // EndTime is exclusive: reach a minute ahead so the newest datapoint is included.
      const endTime = now + 60_000;
      for (const metricName of ['AuroraGlobalDBRPOLag', 'AuroraGlobalDBReplicationLag']) {
        const data = await withAwsErrors(
          () =>
            cw.getMetricData({
              namespace: 'AWS/RDS',
              metricName,
              dimensions: { DBClusterIdentifier: secondary.clusterId },
              stat: 'Maximum',
              periodSeconds: 60,
              startTime: now - 5 * 60_000,
              endTime,
            }),
          `cloudwatch.getMetricData(${metricName}, ${secondary.clusterId})`,
        );
        if (data.values.length > 0) {
          return { predictedRpoMs: Math.max(...data.values), metric: metricName, secondaryClusterId: secondary.clusterId };
        }
      }
      return {
        secondaryClusterId: secondary.clusterId,
        reason: `no AuroraGlobalDBRPOLag or AuroraGlobalDBReplicationLag datapoints for ${secondary.clusterId} in ${secondary.region} in the last 5 minutes`,
      };
    },

    /**
     * Publishes the run's evidence to CloudWatch (namespace `Gameday`, dimensions
     * Service/Scenario/Tier): MeasuredRtoSeconds and MeasuredRpoSeconds (measured figures only)
     * and Verdict (1 pass, 0 fail; not sent when not measured). Timestamped at the run's first
     * event, and guarded by a heartbeat marker so a retried attempt does not add a second sample.
     */
    async publishRunMetrics(input: PublishRunMetricsInput): Promise<PublishRunMetricsResult> {
      const ctx = Context.current();
      const { report } = input;
      const region = input.region ?? (input.runbook ? primaryRegion(load(input.runbook)) : undefined);
      if (!region) return { published: false, metrics: [], reason: 'no region: pass the runbook or a region' };
      const previous = ctx.info.heartbeatDetails as { published?: boolean; metrics?: string[] } | undefined;
      if (previous?.published) return { published: true, alreadyPublished: true, region, metrics: previous.metrics ?? [] };
      const data = runMetricData(report);
      if (data.length === 0) return { published: false, region, metrics: [], reason: 'nothing measured to publish' };
      const cw = deps.aws.cloudwatch({ region });
      await withAwsErrors(() => cw.putMetricData(GAMEDAY_METRIC_NAMESPACE, data), `cloudwatch.putMetricData(${GAMEDAY_METRIC_NAMESPACE})`);
      const metrics = data.map((d) => d.metricName);
      ctx.heartbeat({ published: true, metrics });
      return { published: true, region, metrics };
    },
  };
}

function primaryRegion(rb: Runbook): string {
  return rb.aurora?.primaryRegion ?? rb.blastRadius.regions[0]!;
}

/** The CloudWatch datums of a report (measured figures only). */
export function runMetricData(report: RunReport): MetricDatum[] {
  const dimensions = { Service: report.service, Scenario: report.scenario, Tier: report.tier };
  const timestamp = report.timeline.length > 0 ? Math.min(...report.timeline.map((e) => e.at)) : undefined;
  const base = { dimensions, ...(timestamp !== undefined ? { timestamp } : {}) };
  const out: MetricDatum[] = [];
  const m = report.measurement;
  if (m.rto.status === 'measured') out.push({ ...base, metricName: 'MeasuredRtoSeconds', value: m.rto.valueMs / 1000, unit: 'Seconds' });
  if (m.rpo.status === 'measured') out.push({ ...base, metricName: 'MeasuredRpoSeconds', value: m.rpo.valueMs / 1000, unit: 'Seconds' });
  if (m.verdict !== 'not-measured') out.push({ ...base, metricName: 'Verdict', value: m.verdict === 'pass' ? 1 : 0, unit: 'None' });
  return out;
}
