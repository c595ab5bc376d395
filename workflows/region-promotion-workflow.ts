/**
 * `regionPromotionWorkflow`: promotes the secondary region of an Aurora Global Database
 * (switchover, managed failover, or detach-and-promote), moves traffic and the application, verifies
 * the service and measures RTO / RPO (issue 5, domain.md §2 "Region failure").
 *
 * Steps: validate (first activity, no AWS call) → preflight → approval gate (runbook policy,
 * `approvePromotionUpdate` / `rejectPromotionUpdate`, timeout fails the run) → canary started →
 * write fencing of the old primary (failover/detach, when the runbook has `writeFencing`) →
 * promote (the point of no return) → await writable → Route 53 / ARC shift → await INSYNC →
 * application reconfiguration → verify (a write through the service endpoint, health alarms OK)
 * → measure → optional failback → report.
 *
 * Safety
 * - Run it with workflow id `promote-<globalClusterId>` (checked in the first activity): with
 *   Temporal's default conflict policy a second concurrent promotion of the same database is
 *   refused with WorkflowExecutionAlreadyStarted naming the running one.
 * - Every mutation reads state first (see the activities), so a retry or a restarted worker never
 *   promotes twice.
 * - Point of no return: the first mutation of the database (write fencing when configured, else
 *   the promote call). An abort before it stops cleanly (canary stopped and its rows deleted, no
 *   AWS mutation made); after it, the abort is refused with the reason (update answer, and in the
 *   status for the signal) and the run completes.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type {
  PollSettings,
  PromotionPlan,
  PromotionPreflight,
  RegionPromotionInput,
  WaitResult,
} from '../activities/promotion/promotion-types';
import type { PromoteInput } from '../activities/promotion/promote-secondary-cluster';
import type { CanaryReadResult, CanaryWriterResult, Measurement, RunReport, TimelineEvent } from '../lib/measurement-types';
import { measure, type CanaryMeasurementInput } from '../lib/timeline';
import { startCanary, type CanaryHandle } from './canary';
import { recordEvidence } from './evidence';
import {
  abortPromotionUpdate,
  abortSignal,
  approvePromotionUpdate,
  rejectPromotionUpdate,
  statusQuery,
  type AbortAnswer,
  type AbortRequest,
  type PromotionDecisionRequest,
} from './messages';
import { PromotionTracker, type ApprovalRecord } from './promotion-status';

/** Failure type when nobody decided within the approval timeout (non-retryable). */
export const APPROVAL_TIMEOUT = 'ApprovalTimeout';

const SOURCE = 'regionPromotionWorkflow';
const MIN = 60_000;
/** Clock-ms deadlines of the waits. */
const DEADLINES = {
  canaryWarmup: 2 * MIN,
  writable: 30 * MIN,
  insync: 10 * MIN,
  automation: 30 * MIN,
  verify: 10 * MIN,
  alarms: 5 * MIN,
  reProtected: 2 * 60 * MIN,
} as const;

/** Thrown inside the workflow to unwind to the clean-stop path (never leaves the workflow). */
class AbortedBeforePointOfNoReturn extends Error {}

function fmtMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % MIN === 0) return `${ms / MIN}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Rethrows an activity's own ApplicationFailure (e.g. InvalidPromotionInput) as the workflow's failure. */
function unwrap(err: unknown): unknown {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      type: err.cause.type ?? 'Error',
      message: err.cause.message,
      nonRetryable: true,
      details: err.cause.details ?? [],
    });
  }
  return err;
}

/** Promotes the secondary region (see the module doc). */
export async function regionPromotionWorkflow(input: RegionPromotionInput): Promise<RunReport> {
  const info = workflowInfo();
  const t = new PromotionTracker(info.workflowId, typeof input?.runbook === 'string' ? input.runbook : undefined);
  let plan: PromotionPlan | undefined;
  let decision: ApprovalRecord | undefined;
  let abortRequest: AbortRequest | undefined;
  const notes: string[] = [];

  setHandler(statusQuery, () => t.status());

  const validateDecision = (req: PromotionDecisionRequest): void => {
    const gate = t.steps.find((s) => s.step === 'approval')!;
    if (gate.state !== 'running' || decision !== undefined || abortRequest !== undefined) {
      throw new Error(
        `${info.workflowId} is not waiting for approval (current step: ${t.current}${decision ? `, already ${decision.decision} by ${decision.by}` : ''})`,
      );
    }
    if (!req || typeof req.by !== 'string' || req.by.trim() === '') throw new Error('by: required: who decides, e.g. --by alice');
    const approvers = plan?.approval.approvers ?? [];
    if (approvers.length > 0 && !approvers.includes(req.by)) {
      throw new Error(`by: ${req.by} is not an approver of runbook ${plan?.runbookName}; approvers: ${approvers.join(', ')}`);
    }
  };
  const decide = (kind: 'approved' | 'rejected') => (req: PromotionDecisionRequest) => {
    decision = { decision: kind, by: req.by, ...(req.reason !== undefined ? { reason: req.reason } : {}) };
    if (t.approval) t.approval = { ...t.approval, ...decision };
    return { decision: kind, by: req.by, workflowId: info.workflowId };
  };
  setHandler(approvePromotionUpdate, decide('approved'), { validator: validateDecision });
  setHandler(rejectPromotionUpdate, decide('rejected'), { validator: validateDecision });

  const onAbort = (req: AbortRequest): AbortAnswer => {
    const reason = typeof req?.reason === 'string' && req.reason ? req.reason : 'no reason given';
    if (t.ponr.passed) {
      const refusal = `refused: past the point of no return (${t.ponr.what} was sent); the promotion runs to completion`;
      t.aborts.push({ ...(req?.by !== undefined ? { by: req.by } : {}), reason, accepted: false, refusal, duringStep: t.current });
      return { accepted: false, reason: refusal };
    }
    if (abortRequest === undefined) {
      abortRequest = { reason, ...(req?.by !== undefined ? { by: req.by } : {}) };
      t.aborts.push({ ...abortRequest, accepted: true, duringStep: t.current });
    }
    return { accepted: true };
  };
  setHandler(abortSignal, (req) => void onAbort(req));
  setHandler(abortPromotionUpdate, onAbort);

  const checkAbort = (): void => {
    if (abortRequest !== undefined) throw new AbortedBeforePointOfNoReturn();
  };

  // ------------------------------------------------------------ validate (no AWS call)
  const prep = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: { initialInterval: '1s', maximumAttempts: 3 } });
  t.begin('validate');
  try {
    plan = await prep.preparePromotion({ input, workflowId: info.workflowId });
  } catch (err) {
    t.end('validate', undefined, undefined, 'failed');
    throw unwrap(err);
  }
  const p = plan;
  t.mode = p.mode;
  t.targetRegion = p.target.region;
  t.rtoStartAt = p.requestedAt;
  // A planned switchover must lose nothing: its RPO target is 0 whatever the tier says.
  const targets = p.mode === 'switchover' ? { ...p.targets, rpoMs: 0 } : p.targets;
  t.rtoBudgetMs = targets.rtoMs;
  t.record({
    name: 'fault-injected',
    at: p.requestedAt,
    source: 'preparePromotion',
    detail: p.incidentId
      ? `incident ${p.incidentId} declared; ${p.mode} to ${p.target.region} requested`
      : `${p.mode} to ${p.target.region} requested${p.requestedBy ? ` by ${p.requestedBy}` : ''}`,
  });
  t.end('validate', p.requestedAt, `${p.mode} of ${p.globalClusterId} to ${p.target.region}`);
  const poll: PollSettings = p.poll;
  const fences = p.mode !== 'switchover' && p.runbook.writeFencing !== undefined;
  t.ponr = { what: fences ? 'write fencing of the old primary' : 'the promote call', passed: false, at: undefined };

  // Heartbeat timeout in wall ms: long enough for the slowest poll interval at this clock scale.
  const heartbeatTimeout = Math.max(10_000, Math.ceil((3 * Math.max(poll.intervalMs, poll.fastIntervalMs)) / p.clockScale));
  const mutate = proxyActivities<Activities>({
    startToCloseTimeout: '2m',
    heartbeatTimeout,
    retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 12 },
  });
  const observe = proxyActivities<Activities>({
    startToCloseTimeout: '4h',
    heartbeatTimeout,
    retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 20 },
  });
  const report = proxyActivities<Activities>({ startToCloseTimeout: '2m', retry: { initialInterval: '1s', maximumAttempts: 5 } });
  // Cleaning canary rows on an endpoint that may be in the lost region: try twice, then note it.
  const cleanup = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: { initialInterval: '500ms', maximumAttempts: 2 } });

  let canary: CanaryHandle | undefined;
  /** Why the canary gives no RPO baseline (no write committed before the promotion), if so. */
  let noBaseline: string | undefined;
  const canaryRunId = `${info.workflowId}-${info.runId.slice(0, 8)}`;
  let pre: PromotionPreflight | undefined;
  let writable: WaitResult | undefined;
  let approval: ApprovalRecord | undefined;
  const details: Record<string, unknown> = { mode: p.mode, globalClusterId: p.globalClusterId, targetRegion: p.target.region };
  /** Each wait's observation window: the real transition lies in (previousReadAt, observedAt]. */
  const observations: Record<string, WaitResult> = {};
  details.observations = observations;
  if (p.incidentId) details.incidentId = p.incidentId;
  if (p.requestedBy) details.requestedBy = p.requestedBy;

  /** Stops the canary, reads it on the new writer (when there is one) and deletes its rows. */
  const finishCanary = async (readEndpoint?: string): Promise<CanaryMeasurementInput> =>
    CancellationScope.nonCancellable(async () => {
      if (!canary)
        return {
          notMeasured: p.runbook.canary ? 'the canary was not started (the run stopped before it)' : 'the runbook has no canary section',
        };
      const writer: CanaryWriterResult = await canary.stop();
      let reader: CanaryReadResult | undefined;
      if (readEndpoint) reader = await report.readCanary({ runbook: p.runbookName, runId: canaryRunId, endpoint: readEndpoint });
      const endpoints = [...new Set([readEndpoint, p.runbook.canary?.endpoint].filter((e): e is string => e !== undefined))];
      for (const endpoint of endpoints) {
        try {
          const { deleted } = await cleanup.cleanupCanary({ runbook: p.runbookName, runId: canaryRunId, endpoint });
          notes.push(`canary: ${deleted} row(s) of ${canaryRunId} deleted on ${endpoint}`);
        } catch (err) {
          notes.push(`canary: rows of ${canaryRunId} on ${endpoint} not deleted (${(err as Error).message}); delete them by run id`);
        }
      }
      if (!reader) return { notMeasured: 'no promoted writer to read the canary from' };
      return { writer, reader };
    });

  const buildReport = (outcome: RunReport['outcome'], canaryInput: CanaryMeasurementInput, outcomeReason?: string): RunReport => {
    const measurement: Measurement = measure({
      timeline: t.timeline,
      targets,
      canary: canaryInput,
      ...(pre?.replicationLagMs !== undefined ? { predictedRpoMs: pre.replicationLagMs } : {}),
      resolution: { pollIntervalMs: poll.fastIntervalMs },
    });
    const allNotes = [...notes];
    if (p.mode === 'switchover') {
      if (measurement.rpo.status === 'measured') {
        allNotes.push(
          measurement.rpo.valueMs === 0
            ? 'switchover: measured RPO 0 ms, as a planned switchover requires (no acknowledged write was lost)'
            : `switchover: measured RPO ${measurement.rpo.valueMs} ms but a planned switchover must lose nothing (target 0)`,
        );
      } else allNotes.push(`switchover: RPO must be 0; not measured (${measurement.rpo.reason})`);
    }
    if (pre?.lagNote) allNotes.push(pre.lagNote);
    return {
      schemaVersion: 1,
      workflowId: info.workflowId,
      runId: info.runId,
      scenario: 'region-promotion',
      service: p.service,
      environment: p.environment,
      tier: p.tier,
      awsMode: p.awsMode,
      outcome,
      ...(outcomeReason !== undefined ? { outcomeReason } : {}),
      timeline: [...t.timeline],
      measurement,
      details: { ...details, ...(approval ? { approval } : {}), aborts: [...t.aborts], steps: t.steps.map((s) => ({ ...s })) },
      notes: allNotes,
    };
  };

  const stopCleanly = async (reason: string): Promise<RunReport> => {
    const c = await finishCanary(undefined);
    t.current = 'done';
    t.outcome = 'aborted';
    t.detail = reason;
    notes.push('stopped before the point of no return: no AWS mutation was made');
    const aborted = buildReport('aborted', c, reason);
    await recordEvidence(aborted, { runbook: p.runbookName, region: p.target.region, skipMetrics: true });
    return aborted;
  };

  try {
    // ---------------------------------------------------------- preflight
    checkAbort();
    t.begin('preflight');
    pre = await observe.preflightPromotion(p);
    t.sourceRegion = pre.source.region;
    details.sourceRegion = pre.source.region;
    details.preflight = pre.checks;
    t.end(
      'preflight',
      pre.checkedAt,
      `writer ${pre.source.clusterId} in ${pre.source.region}${pre.replicationLagMs !== undefined ? `, lag ${Math.round(pre.replicationLagMs)} ms` : ''}`,
    );
    checkAbort();

    // ---------------------------------------------------------- approval gate
    t.approval = {
      decision: 'auto-approved',
      required: p.approval.required,
      approvers: p.approval.approvers,
      timeoutMs: p.approval.timeoutMs,
    };
    if (p.approval.required) {
      const requested = await observe.stampEvent({
        name: 'approval-requested',
        source: SOURCE,
        detail: `approvers: ${p.approval.approvers.length > 0 ? p.approval.approvers.join(', ') : 'anyone'}; timeout ${fmtMs(p.approval.timeoutMs)}`,
      });
      t.record(requested);
      t.begin('approval', `waiting for approval (gameday approve ${info.workflowId}); timeout ${fmtMs(p.approval.timeoutMs)}`);
      const decided = await condition(() => decision !== undefined || abortRequest !== undefined, p.approval.timeoutMs);
      if (!decided) {
        const at = (await observe.stampEvent({ name: 'decision-made', source: SOURCE, detail: 'approval timed out' })).at;
        approval = { decision: 'timed-out', at };
        t.approval = { ...t.approval, ...approval };
        t.end('approval', at, 'timed out', 'failed');
        await finishCanary(undefined);
        t.outcome = 'failed';
        throw ApplicationFailure.create({
          type: APPROVAL_TIMEOUT,
          message: `approval: no decision within ${fmtMs(p.approval.timeoutMs)} (runbook approval.timeout); nothing was changed`,
          nonRetryable: true,
        });
      }
      checkAbort();
      const d = decision!;
      const stamped = await observe.stampEvent({
        name: 'decision-made',
        source: SOURCE,
        detail: `${d.decision} by ${d.by}${d.reason ? `: ${d.reason}` : ''}`,
      });
      d.at = stamped.at;
      approval = d;
      t.approval = { ...t.approval, ...d };
      t.record(stamped);
      if (d.decision === 'rejected') {
        t.end('approval', stamped.at, `rejected by ${d.by}`, 'failed');
        return await stopCleanly(`rejected by ${d.by}${d.reason ? `: ${d.reason}` : ''}`);
      }
      t.end('approval', stamped.at, `approved by ${d.by}`);
    } else {
      const stamped = await observe.stampEvent({
        name: 'decision-made',
        source: SOURCE,
        detail: 'auto-approved: the runbook does not require approval',
      });
      approval = { decision: 'auto-approved', at: stamped.at };
      t.record(stamped);
      t.skip('approval', 'not required by the runbook');
    }
    checkAbort();

    // ---------------------------------------------------------- canary
    t.begin('canary');
    if (p.runbook.canary) {
      canary = startCanary({ runbook: p.runbookName, runId: canaryRunId, maxDurationMs: 4 * 60 * MIN });
      // Wait for a first committed write (the RPO baseline), abortable, bounded: a lost region
      // cannot be written to and must not hold the promotion.
      const warm = new CancellationScope();
      const warming = warm.run(() =>
        observe.awaitCanaryWrites({ runbook: p.runbook, runId: canaryRunId, poll, timeoutMs: DEADLINES.canaryWarmup }),
      );
      const first = await Promise.race([warming, condition(() => abortRequest !== undefined).then(() => undefined)]);
      if (first === undefined) {
        warm.cancel();
        await warming.catch(() => undefined);
        checkAbort();
      } else {
        if (!first.ok) {
          noBaseline = `the canary committed no write before the promotion (${first.detail}), so the data lost at the promotion cannot be measured`;
          notes.push(`canary: ${first.detail} before the promotion; RPO not measured`);
        }
        t.end(
          'canary',
          first.at,
          first.ok ? `writing ${p.runbook.canary.ratePerSecond}/s to ${p.runbook.canary.endpoint} (run ${canaryRunId})` : first.detail,
        );
      }
    } else {
      t.skip('canary', 'the runbook has no canary section: RPO will not be measured');
    }

    const source = pre.source;
    const promoteInput: PromoteInput = { mode: p.mode, account: p.account, globalClusterId: p.globalClusterId, source, target: pre.target };

    // ---------------------------------------------------------- write fencing (point of no return when configured)
    checkAbort();
    if (fences) {
      t.ponr = { ...t.ponr, passed: true };
      t.begin('fence');
      const f = await mutate.fenceOldPrimary({ runbook: p.runbook, workflowId: info.workflowId, source, reachableRegion: p.target.region });
      t.ponr = { ...t.ponr, at: f.at };
      if ('automationExecutionId' in f && f.automationExecutionId) {
        try {
          const done = await observe.awaitAutomation({
            automationExecutionId: f.automationExecutionId,
            region: f.region,
            account: p.account,
            poll,
            timeoutMs: DEADLINES.automation,
          });
          t.end('fence', done.observedAt, `${p.runbook.writeFencing!.documentName} succeeded`);
        } catch (err) {
          const why = err instanceof ActivityFailure && err.cause ? err.cause.message : (err as Error).message;
          notes.push(
            `write fencing of ${source.clusterId} failed (${why}); promotion continued (the old region may be unreachable); check for split-brain writes`,
          );
          t.end('fence', t.asOf, `failed: ${why}`, 'failed');
        }
      } else t.end('fence', f.at, f.detail);
    } else {
      t.skip('fence', p.mode === 'switchover' ? 'switchover: Aurora demotes the old primary itself' : 'the runbook has no writeFencing');
    }

    // ---------------------------------------------------------- promote (the point of no return)
    checkAbort();
    t.ponr = { ...t.ponr, passed: true };
    t.begin('promote');
    const promoted = await mutate.promoteSecondaryCluster(promoteInput);
    if (t.ponr.at === undefined) t.ponr = { ...t.ponr, at: promoted.at };
    details.promoteEffect = promoted.effect;
    t.record({
      name: 'promotion-started',
      at: promoted.at,
      source: 'promoteSecondaryCluster',
      detail: `${promoted.effect}: ${promoted.detail ?? ''}`,
    });
    t.end('promote', promoted.at, promoted.detail);

    t.begin('await-writable');
    writable = await observe.awaitClusterWritable({ ...promoteInput, poll, timeoutMs: DEADLINES.writable });
    t.record({
      name: 'promotion-finished',
      at: writable.observedAt,
      source: 'awaitClusterWritable',
      ...(writable.detail ? { detail: writable.detail } : {}),
    });
    t.end('await-writable', writable.observedAt, writable.detail);
    // A wait whose first read already saw the change (e.g. a retried attempt) only knows it
    // happened after the request: the window then starts at the promote call.
    observations['promotion-finished'] = { ...writable, previousReadAt: writable.previousReadAt ?? promoted.at };
    details.newWriterEndpoint = writable.endpoint;

    // ---------------------------------------------------------- traffic
    if (p.runbook.route53) {
      t.begin('traffic');
      const shifted = await mutate.shiftTraffic({
        runbook: p.runbook,
        target: { kind: 'activate', region: p.target.region },
        comment: `gameday ${info.workflowId}: ${p.mode} to ${p.target.region}`,
      });
      t.record({
        name: 'traffic-shift-started',
        at: shifted.at,
        source: 'shiftTraffic',
        detail: `${shifted.effect}: ${shifted.detail ?? ''}`,
      });
      t.end('traffic', shifted.at, shifted.detail);
      if (shifted.changeId) {
        t.begin('await-insync');
        const insync = await observe.awaitChangeInsync({
          changeId: shifted.changeId,
          account: p.account,
          poll,
          timeoutMs: DEADLINES.insync,
        });
        t.record({
          name: 'traffic-converged',
          at: insync.observedAt,
          source: 'awaitChangeInsync',
          detail: `change ${shifted.changeId} INSYNC`,
        });
        t.end('await-insync', insync.observedAt);
        observations['traffic-converged'] = { ...insync, previousReadAt: insync.previousReadAt ?? shifted.at };
      } else {
        t.record({ name: 'traffic-converged', at: shifted.at, source: 'shiftTraffic', detail: shifted.detail ?? 'applied' });
        t.skip(
          'await-insync',
          p.runbook.route53.routing.policy === 'arc' ? 'ARC routing controls apply at once' : 'no record change was needed',
        );
      }
    } else {
      t.skip('traffic', 'the runbook has no route53 section');
      t.skip('await-insync', 'no traffic shift');
    }

    // ---------------------------------------------------------- application
    if (p.runbook.appReconfiguration) {
      t.begin('app');
      const r = await mutate.reconfigureApplication({
        runbook: p.runbook,
        workflowId: info.workflowId,
        region: p.target.region,
        clusterId: p.target.clusterId,
      });
      let at = r.at;
      if ('automationExecutionId' in r && r.automationExecutionId) {
        at = (
          await observe.awaitAutomation({
            automationExecutionId: r.automationExecutionId,
            region: r.region,
            account: p.account,
            poll,
            timeoutMs: DEADLINES.automation,
          })
        ).observedAt;
      }
      t.record({ name: 'app-reconfigured', at, source: 'reconfigureApplication', detail: r.detail });
      t.end('app', at, r.detail);
    } else t.skip('app', 'the runbook has no appReconfiguration');

    // ---------------------------------------------------------- verify
    t.begin('verify');
    // After a detach the global writer endpoint still names the old primary: the application was
    // pointed at the promoted cluster, so the write goes to its endpoint.
    const serviceEndpoint = p.mode === 'detach' ? writable.endpoint : undefined;
    const write = await observe.verifyServiceWrite({
      runbook: p.runbook,
      runId: canaryRunId,
      poll,
      timeoutMs: DEADLINES.verify,
      ...(serviceEndpoint ? { endpoint: serviceEndpoint } : {}),
    });
    const alarms = await observe.checkHealthAlarms({ runbook: p.runbook, region: p.target.region, poll, timeoutMs: DEADLINES.alarms });
    details.verification = { write, alarms };
    t.observe(write.at);
    t.observe(alarms.checkedAt);
    if (write.ok && alarms.ok) {
      const at = Math.max(write.at, alarms.checkedAt);
      t.record({
        name: 'app-healthy',
        at,
        source: 'verifyServiceWrite',
        detail: `write through ${write.endpoint}; ${alarms.alarms.length} health alarm(s) OK`,
      });
      t.end('verify', at, 'service writable and healthy');
    } else {
      const why = [
        !write.ok ? `service write: ${write.detail}` : '',
        !alarms.ok
          ? `alarms not OK: ${alarms.alarms
              .filter((a) => a.stateValue !== 'OK')
              .map((a) => `${a.alarmName}=${a.stateValue}`)
              .join(', ')}`
          : '',
      ]
        .filter(Boolean)
        .join('; ');
      notes.push(`verification failed: ${why}; the service was not observed healthy, so RTO is not measured`);
      t.end('verify', t.asOf, why, 'failed');
    }
  } catch (err) {
    if (err instanceof AbortedBeforePointOfNoReturn) {
      const a = abortRequest!;
      return await stopCleanly(`aborted${a.by ? ` by ${a.by}` : ''} before the point of no return: ${a.reason}`);
    }
    // A failure: stop and clean the canary whatever happened, then fail loudly.
    await finishCanary(writable?.endpoint).catch(() => undefined);
    t.outcome = 'failed';
    throw unwrap(err);
  }

  // ------------------------------------------------------------ measure
  t.begin('measure');
  const finished = await finishCanary(writable.endpoint);
  const canaryResult: CanaryMeasurementInput = noBaseline !== undefined ? { notMeasured: noBaseline } : finished;
  const result = buildReport('completed', canaryResult);
  t.end('measure', t.asOf, `verdict ${result.measurement.verdict}`);

  // ------------------------------------------------------------ failback (game day)
  let final = result;
  if (p.failback) {
    const noted = notes.length;
    const fb = await failback(p, pre, writable, { t, mutate, observe, poll, notes });
    const extra = fb.reProtectedEvent ? [fb.reProtectedEvent as TimelineEvent] : [];
    final = {
      ...result,
      timeline: [...result.timeline, ...extra],
      details: { ...result.details, failback: fb },
      notes: [...result.notes, ...notes.slice(noted)],
    };
  } else t.skip('failback', 'not requested');

  // Metrics go to the promoted region: the old one may be the region that was lost.
  const evidence = await recordEvidence(final, { runbook: p.runbookName, region: p.target.region });
  if (!evidence.published)
    final = { ...final, notes: [...final.notes, `evidence metrics not published: ${evidence.reason ?? 'unknown reason'}`] };
  t.current = 'done';
  t.outcome = 'completed';
  t.detail = `verdict ${final.measurement.verdict}`;
  return final;
}

type Proxies = ReturnType<typeof proxyActivities<Activities>>;

/**
 * Switches back to the original region (switchover) once verified, then measures the time to
 * re-protected: from the failback start until the promoted region's cluster is a replicating
 * secondary again with lag within RPO. Not possible after a detach (the cluster left the global
 * database); the report says so.
 */
async function failback(
  p: PromotionPlan,
  pre: PromotionPreflight,
  writable: WaitResult,
  ctx: { t: PromotionTracker; mutate: Proxies; observe: Proxies; poll: PollSettings; notes: string[] },
): Promise<Record<string, unknown>> {
  const { t, mutate, observe, poll, notes } = ctx;
  if (p.mode === 'detach') {
    t.skip('failback', 'not possible after a detach: rebuild the global database first');
    notes.push('failback: not possible after a detach (the promoted cluster is standalone); rebuild the global database and switch over');
    return { status: 'not-possible', reason: 'detach leaves a standalone cluster' };
  }
  t.begin('failback', `switching back to ${pre.source.region}`);
  const started = await observe.stampEvent({
    name: 'traffic-shift-started',
    source: 'failback',
    detail: `failback to ${pre.source.region} started`,
  });
  t.observe(started.at);
  // The old primary must be a replicating secondary before a switchover back (after a failover
  // Aurora re-adds it once its region answers).
  await observe.awaitReProtected({
    account: p.account,
    globalClusterId: p.globalClusterId,
    secondary: pre.source,
    rpoMs: p.targets.rpoMs,
    poll,
    timeoutMs: DEADLINES.reProtected,
  });
  const back: PromoteInput = {
    mode: 'switchover',
    account: p.account,
    globalClusterId: p.globalClusterId,
    source: pre.target,
    target: pre.source,
  };
  const promoted = await mutate.promoteSecondaryCluster(back);
  const done = await observe.awaitClusterWritable({ ...back, poll, timeoutMs: DEADLINES.writable });
  if (p.runbook.route53) {
    const shifted = await mutate.shiftTraffic({
      runbook: p.runbook,
      target: { kind: 'activate', region: pre.source.region },
      comment: `gameday failback to ${pre.source.region}`,
    });
    if (shifted.changeId)
      await observe.awaitChangeInsync({ changeId: shifted.changeId, account: p.account, poll, timeoutMs: DEADLINES.insync });
  }
  if (p.runbook.appReconfiguration) {
    const r = await mutate.reconfigureApplication({
      runbook: p.runbook,
      workflowId: workflowInfo().workflowId,
      region: pre.source.region,
      clusterId: pre.source.clusterId,
      step: 'failback',
    });
    if ('automationExecutionId' in r && r.automationExecutionId) {
      await observe.awaitAutomation({
        automationExecutionId: r.automationExecutionId,
        region: r.region,
        account: p.account,
        poll,
        timeoutMs: DEADLINES.automation,
      });
    }
  }
  const protectedAgain = await observe.awaitReProtected({
    account: p.account,
    globalClusterId: p.globalClusterId,
    secondary: pre.target,
    rpoMs: p.targets.rpoMs,
    poll,
    timeoutMs: DEADLINES.reProtected,
  });
  const event: TimelineEvent = {
    name: 're-protected',
    at: protectedAgain.observedAt,
    source: 'awaitReProtected',
    detail: `${pre.target.clusterId} replicating again (${protectedAgain.detail ?? ''})`,
  };
  t.record(event);
  const timeToReProtectedMs = protectedAgain.observedAt - started.at;
  t.end('failback', protectedAgain.observedAt, `re-protected after ${Math.round(timeToReProtectedMs / 1000)} s`);
  notes.push(
    `failback: back on ${pre.source.region}; time to re-protected ${Math.round(timeToReProtectedMs / 1000)} s (from failback start to ${pre.target.clusterId} replicating within RPO)`,
  );
  return {
    status: 'completed',
    startedAt: started.at,
    switchbackRequestedAt: promoted.at,
    writableAt: done.observedAt,
    reProtectedAt: protectedAgain.observedAt,
    timeToReProtectedMs,
    reProtectedEvent: event,
    promotedWriterEndpointBefore: writable.endpoint,
  };
}
