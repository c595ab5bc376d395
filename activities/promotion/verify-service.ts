/**
 * Verification of a promotion: a canary write through the service endpoint, the health alarms of
 * the new region, and (failback) the wait until the secondary is replicating again within RPO.
 * All read-only except the verification row, which is deleted again.
 */
import type { AlarmState } from '../aws/ports';
import { pollUntil } from '../aws/poll';
import { toApplicationFailure, withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { canaryTargetFromRunbook } from '../measurement-activities';
import { REPLICATION_LAG_METRIC } from '../preflight-activities';
import type { Runbook } from '../../runbooks/schema';
import type { CanaryStore, CanaryTarget } from '../canary/canary-store';
import { activityHooks, readRiding, regionOfArn } from './activity-context';
import { activityPollOptions, awaitAwsState, waitTiming } from './activity-poll';
import type { HealthAlarmsResult, PollSettings, ServiceWriteResult, WaitResult } from '../../contracts/promotion';

/** Poll intervals of `checkHealthAlarms` when the caller gives none (the `pollUntil` defaults). */
const DEFAULT_ALARM_POLL: PollSettings = { intervalMs: 1000, fastIntervalMs: 250 };

/**
 * Runs `use` on a fresh connection to the canary `target` and closes it. A failure (connect, use
 * or close) is reported to `onError` as `name: message` and gives `undefined`, so a poll reads again.
 */
async function withCanaryStore<T>(
  deps: ActivityDeps,
  target: CanaryTarget,
  use: (store: CanaryStore) => Promise<T>,
  onError: (detail: string) => void,
): Promise<T | undefined> {
  try {
    const store = await deps.canary.connect(target);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  } catch (err) {
    onError(`${(err as Error).name}: ${(err as Error).message}`);
    return undefined;
  }
}

/**
 * Writes one verification row through the runbook's canary endpoint (the service's writer
 * endpoint), retrying until it commits or `timeoutMs` passes; deletes the row afterwards.
 */
export async function verifyServiceWrite(
  deps: ActivityDeps,
  input: {
    readonly runbook: Runbook;
    readonly runId: string;
    readonly poll: PollSettings;
    readonly timeoutMs: number;
    /** Write here instead of the runbook's canary endpoint (e.g. the promoted cluster after a detach). */
    readonly endpoint?: string;
  },
): Promise<ServiceWriteResult> {
  const hooks = activityHooks();
  const c = input.runbook.canary;
  if (!c)
    return {
      ok: false,
      at: deps.clock.now(),
      endpoint: '(none)',
      detail: 'runbook has no canary section: no service endpoint to write through',
    };
  const target = {
    engine: input.runbook.aurora?.engine ?? 'postgres',
    endpoint: input.endpoint ?? c.endpoint,
    ...(c.port !== undefined ? { port: c.port } : {}),
    database: c.database,
    secretArn: c.secretArn,
    region: regionOfArn(c.secretArn) ?? input.runbook.aurora?.primaryRegion ?? 'us-east-1',
    table: c.table,
  };
  const verifyRunId = `${input.runId}-verify`;
  let lastError = '';
  try {
    const r = await pollUntil<{ at: number } | undefined>({
      what: `write through ${target.endpoint}`,
      read: () =>
        withCanaryStore(
          deps,
          target,
          async (store) => {
            await store.ensureTable();
            const ack = await store.write(verifyRunId, 1, deps.clock.now());
            await store.deleteRun(verifyRunId);
            return { at: ack.at };
          },
          (detail) => (lastError = detail),
        ),
      done: (s) => s !== undefined,
      ...activityPollOptions(deps.clock, hooks, input.poll, input.timeoutMs),
    });
    return { ok: true, at: r.state!.at, endpoint: target.endpoint, detail: `write committed after ${r.polls} attempt(s)` };
  } catch (err) {
    if ((err as Error).name !== 'PollTimeoutError') throw err;
    return {
      ok: false,
      at: deps.clock.now(),
      endpoint: target.endpoint,
      detail: `no write committed within ${input.timeoutMs} ms: ${lastError}`,
    };
  }
}

/**
 * Reads the health alarms of `region` (runbook `alarms.health`) until all are OK or `timeoutMs`
 * passes (0 = read once). `ok` is false when one is not OK at the end.
 */
export async function checkHealthAlarms(
  deps: ActivityDeps,
  input: { readonly runbook: Runbook; readonly region: string; readonly poll?: PollSettings; readonly timeoutMs?: number },
): Promise<HealthAlarmsResult> {
  const hooks = activityHooks();
  const { signal } = hooks;
  const names = input.runbook.alarms.health[input.region] ?? [];
  if (names.length === 0) return { ok: true, alarms: [], checkedAt: deps.clock.now() };
  const cw = deps.aws.cloudwatch({ region: input.region, accountId: input.runbook.account });
  const read = (): Promise<AlarmState[]> => readRiding(() => cw.describeAlarms(names), deps.clock, signal ? { signal } : {});
  const allOk = (states: readonly AlarmState[]): boolean => names.every((n) => states.find((s) => s.alarmName === n)?.stateValue === 'OK');
  let states: AlarmState[];
  if (!input.timeoutMs) {
    states = await withAwsErrors(read, `cloudwatch.describeAlarms(${input.region})`);
  } else {
    try {
      states = (
        await pollUntil({
          what: `health alarms of ${input.region} OK`,
          read,
          done: allOk,
          ...activityPollOptions(deps.clock, hooks, input.poll ?? DEFAULT_ALARM_POLL, input.timeoutMs),
        })
      ).state;
    } catch (err) {
      if ((err as Error).name !== 'PollTimeoutError') throw toApplicationFailure(err, `cloudwatch.describeAlarms(${input.region})`);
      states = await withAwsErrors(read, `cloudwatch.describeAlarms(${input.region})`);
    }
  }
  return {
    ok: allOk(states),
    alarms: names.map((n) => ({ alarmName: n, stateValue: states.find((s) => s.alarmName === n)?.stateValue ?? 'MISSING' })),
    checkedAt: deps.clock.now(),
  };
}

/**
 * Waits until `secondary` is a replicating secondary of the global cluster again (member, not the
 * writer, `synchronizationStatus` connected when reported, no operation in flight) with its
 * replication lag within `rpoMs` (when CloudWatch reports it): "re-protected".
 */
export async function awaitReProtected(
  deps: ActivityDeps,
  input: {
    readonly account: string;
    readonly globalClusterId: string;
    readonly secondary: { readonly region: string; readonly clusterId: string; readonly arn: string };
    readonly rpoMs: number;
    readonly poll: PollSettings;
    readonly timeoutMs: number;
  },
): Promise<WaitResult> {
  const rds = deps.aws.rds({ region: input.secondary.region, accountId: input.account });
  const cw = deps.aws.cloudwatch({ region: input.secondary.region, accountId: input.account });
  let lagNote = 'lag not reported by CloudWatch';
  const r = await awaitAwsState(deps.clock, {
    what: `${input.secondary.clusterId} re-protected`,
    read: async () => {
      const gc = await rds.describeGlobalCluster(input.globalClusterId);
      const m = gc.members.find((x) => x.dbClusterArn === input.secondary.arn);
      const replicating = !!m && !m.isWriter && (m.synchronizationStatus ?? 'connected') === 'connected' && gc.failoverState === undefined;
      if (!replicating) return { ok: false };
      const now = deps.clock.now();
      const data = await cw
        .getMetricData({
          namespace: 'AWS/RDS',
          metricName: REPLICATION_LAG_METRIC,
          dimensions: { DBClusterIdentifier: input.secondary.clusterId },
          stat: 'Maximum',
          periodSeconds: 60,
          startTime: now - 60_000,
          endTime: now,
        })
        .catch(() => ({ values: [] as number[], timestamps: [] as number[] }));
      const lag = data.values[data.values.length - 1];
      if (lag === undefined) return { ok: true };
      lagNote = `lag ${Math.round(lag)} ms`;
      return { ok: lag <= input.rpoMs };
    },
    done: (s) => s.ok,
    poll: input.poll,
    timeoutMs: input.timeoutMs,
    context: `await ${input.secondary.clusterId} re-protected`,
  });
  return { ...waitTiming(r), detail: lagNote };
}

/**
 * Watches the health alarms of `regions` (runbook `alarms.health`) for `durationMs` of clock time
 * after a traffic step; returns at once with `ok: false` when one enters ALARM.
 */
export async function watchHealthAlarms(
  deps: ActivityDeps,
  input: { readonly runbook: Runbook; readonly regions: readonly string[]; readonly durationMs: number; readonly poll: PollSettings },
): Promise<HealthAlarmsResult> {
  const hooks = activityHooks();
  const byRegion = input.regions
    .map((region) => ({ region, names: input.runbook.alarms.health[region] ?? [] }))
    .filter((x) => x.names.length > 0);
  const readAll = async (): Promise<AlarmState[]> => {
    const out: AlarmState[] = [];
    for (const { region, names } of byRegion) {
      const cw = deps.aws.cloudwatch({ region, accountId: input.runbook.account });
      out.push(...(await readRiding(() => cw.describeAlarms(names), deps.clock, hooks.signal ? { signal: hooks.signal } : {})));
    }
    return out;
  };
  const start = deps.clock.now();
  const firing = (states: readonly AlarmState[]): boolean => states.some((s) => s.stateValue === 'ALARM');
  // Done when an alarm fires or the watch period is over; the deadline is one poll past the
  // period, so the period's end is always reached as `done`, never as a timeout.
  const { state: states, observedAt } = await pollUntil({
    ...activityPollOptions(
      deps.clock,
      hooks,
      { intervalMs: input.poll.intervalMs, fastIntervalMs: input.poll.intervalMs },
      input.durationMs + input.poll.intervalMs,
    ),
    read: () => withAwsErrors(readAll, 'cloudwatch.describeAlarms'),
    done: (s) => firing(s) || deps.clock.now() - start >= input.durationMs,
    what: `health alarms of ${input.regions.join(', ')}`,
  });
  return { ok: !firing(states), alarms: states.map((s) => ({ alarmName: s.alarmName, stateValue: s.stateValue })), checkedAt: observedAt };
}

/**
 * Waits until the canary writer has committed at least one row of `runId` on the runbook's
 * canary endpoint (the current writer), so the promotion starts with an RPO baseline. Returns
 * `ok: false` (not an error) at the deadline: the region may already be unreachable, and the
 * promotion must not wait on it; the report then says why RPO is not measured.
 */
export async function awaitCanaryWrites(
  deps: ActivityDeps,
  input: { readonly runbook: Runbook; readonly runId: string; readonly poll: PollSettings; readonly timeoutMs: number },
): Promise<{ readonly ok: boolean; readonly at: number; readonly newestSeq?: number; readonly detail: string }> {
  const hooks = activityHooks();
  const { target, reason } = canaryTargetFromRunbook(input.runbook);
  if (!target) return { ok: false, at: deps.clock.now(), detail: reason ?? 'no canary target' };
  let lastError = 'no row yet';
  const fastMs = Math.min(input.poll.fastIntervalMs, 1000);
  try {
    const r = await pollUntil<number | undefined>({
      what: `first canary write of ${input.runId}`,
      read: () =>
        withCanaryStore(
          deps,
          target,
          async (store) => (await store.newest(input.runId))?.seq,
          (detail) => (lastError = detail),
        ),
      done: (seq) => seq !== undefined,
      ...activityPollOptions(deps.clock, hooks, { intervalMs: fastMs, fastIntervalMs: fastMs }, input.timeoutMs),
    });
    return { ok: true, at: r.observedAt, newestSeq: r.state!, detail: `canary writing (seq ${r.state})` };
  } catch (err) {
    if ((err as Error).name !== 'PollTimeoutError') throw err;
    return { ok: false, at: deps.clock.now(), detail: `no canary write committed within ${input.timeoutMs} ms (${lastError})` };
  }
}
