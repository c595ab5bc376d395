/**
 * The findings of an instance termination, from what its activities observed: three figures from
 * the TerminateInstances call (issued) — the group back at desired healthy capacity, the target
 * group healthy, the service alarm OK again after it fired — the timeline, notes, details and the
 * `RunReport`. The scenario's RTO is the last of the three (the service whole again). An alarm
 * that never fired is a finding (verdict fail); no recovery in time fails the run. Pure.
 */
import type {
  InstanceTerminationPlan,
  ServiceAlarmCourse,
  TerminationDone,
  TerminationSelection,
  TerminationSteadyState,
} from '../contracts/instance-termination';
import { INSTANCE_TERMINATION_FIGURES } from '../contracts/instance-termination';
import type { Detection } from '../contracts/region-cut';
import type { Figure, Measurement, RunReport, TimelineEvent } from './measurement-types';
import {
  clockWords,
  detectionFigure,
  detectionWindows,
  latestEarliest,
  resolutionNote,
  scenarioClock,
  scenarioVerdict,
  withEarliest,
} from './scenario-figures';
import { judge, notMeasured } from './timeline';
import { targetsFor } from './tiers';
import { scenarioReport } from './report-head';

/** Everything an instance-termination run observed so far. */
export interface TerminationObserved {
  plan?: InstanceTerminationPlan;
  steady?: TerminationSteadyState;
  selection?: TerminationSelection;
  terminated?: TerminationDone;
  capacity?: Detection;
  targetGroup?: Detection;
  alarm?: ServiceAlarmCourse;
}

/** How a run ended, as its report says. */
export interface TerminationEnding {
  readonly outcome: RunReport['outcome'];
  readonly reason?: string;
}

/** The three figures, and the RTO (the last of them). */
export function terminationFigures(o: TerminationObserved): { capacity: Figure; targetGroup: Figure; alarmOk: Figure; rto: Figure } {
  const p = o.plan!;
  const from = o.terminated?.at;
  const why = 'the run ended before it was measured';
  const capacity = detectionFigure(o.capacity, from, p.targets.capacityRestoredMs, why);
  const targetGroup = detectionFigure(o.targetGroup, from, p.targets.targetGroupHealthyMs, why);
  const alarmOk = o.alarm?.ok
    ? detectionFigure(o.alarm.ok, from, p.targets.serviceAlarmOkMs, why)
    : o.alarm
      ? notMeasured(
          `the service alarm ${o.alarm.alarm} never went to ALARM (${o.alarm.fired.timedOut ?? 'not seen'}; last read ${o.alarm.fired.seen})`,
          p.targets.serviceAlarmOkMs,
        )
      : detectionFigure(undefined, from, p.targets.serviceAlarmOkMs, why);
  const all = [capacity, targetGroup, alarmOk];
  const rto = all.every((f) => f.status === 'measured')
    ? withEarliest(
        judge(Math.max(...all.map((f) => (f.status === 'measured' ? f.valueMs : 0))), p.targets.serviceAlarmOkMs),
        latestEarliest(all),
      )
    : notMeasured(
        `not every figure was measured: ${all
          .filter((f) => f.status === 'not-measured')
          .map((f) => (f.status === 'not-measured' ? f.reason : ''))
          .join('; ')}`,
        p.targets.serviceAlarmOkMs,
      );
  return { capacity, targetGroup, alarmOk, rto };
}

/** How a completed watch ends the run: failed when capacity or the target group did not recover in time; a silent alarm is a finding. */
export function terminationEnding(o: TerminationObserved): TerminationEnding | { failure: string } {
  const late = [o.capacity, o.targetGroup, o.alarm?.ok].filter((d): d is Detection => d?.timedOut !== undefined);
  if (late.length > 0)
    return { failure: `no recovery in time: ${late.map((d) => `${d.what}: ${d.timedOut}; last read ${d.seen}`).join('; ')}` };
  if (o.alarm && !o.alarm.ok) return { outcome: 'completed', reason: `finding: the service alarm ${o.alarm.alarm} never fired` };
  return { outcome: 'completed' };
}

/** Replace (call → capacity), register (capacity → target group healthy), alarm (→ alarm OK), where each follows the last. */
function terminationPhases(o: TerminationObserved): Measurement['phases'] {
  const marks: [string, number | undefined][] = [
    ['replace', o.capacity?.observedAt],
    ['register', o.targetGroup?.observedAt],
    ['alarm', o.alarm?.ok?.observedAt],
  ];
  const out: Measurement['phases'][number][] = [];
  let start = o.terminated?.at;
  for (const [phase, end] of marks) {
    if (start === undefined || end === undefined || end < start) break;
    out.push({ phase, startAt: start, endAt: end, durationMs: end - start });
    start = end;
  }
  return out;
}

function timelineOf(o: TerminationObserved): TimelineEvent[] {
  const t: TimelineEvent[] = [];
  const p = o.plan!;
  if (o.terminated)
    t.push({
      name: 'fault-injected',
      at: o.terminated.at,
      source: 'terminateInstances',
      detail: `terminated ${o.terminated.instanceIds.join(', ')}`,
    });
  if (o.alarm?.fired.observedAt !== undefined)
    t.push({ name: 'failure-detected', at: o.alarm.fired.observedAt, source: 'awaitServiceAlarmOk', detail: o.alarm.fired.what });
  if (o.capacity?.observedAt !== undefined)
    t.push({
      name: 'component-recovered',
      at: o.capacity.observedAt,
      source: 'awaitCapacityRestored',
      component: `ec2:${p.autoScalingGroup}`,
      detail: o.capacity.what,
    });
  if (o.targetGroup?.observedAt !== undefined)
    t.push({
      name: 'component-recovered',
      at: o.targetGroup.observedAt,
      source: 'awaitTargetGroupHealthy',
      component: 'target-group',
      detail: o.targetGroup.what,
    });
  if (o.alarm?.ok?.observedAt !== undefined)
    t.push({ name: 'app-healthy', at: o.alarm.ok.observedAt, source: 'awaitServiceAlarmOk', detail: o.alarm.ok.what });
  return t.sort((a, b) => a.at - b.at);
}

/** The run's report (undefined before the plan exists). */
export function terminationReport(
  ids: { workflowId: string; runId: string },
  o: TerminationObserved,
  ending: TerminationEnding,
): RunReport | undefined {
  const p = o.plan;
  if (!p) return undefined;
  const clock = scenarioClock(p.awsMode, p.clockScale, p.preparedAtWall);
  const words = clockWords(clock);
  const f = terminationFigures(o);
  const from = o.terminated?.at;
  const label = (what: string): string => `${what}, from the TerminateInstances call (${words})`;
  const tier = targetsFor(p.runbook.tier);
  const neverFired = o.alarm !== undefined && !o.alarm.ok;
  const measurement: Measurement = {
    targets: { rpoMs: tier.rpoMs, rtoMs: p.targets.serviceAlarmOkMs },
    rto: f.rto,
    rpo: notMeasured(
      'terminating stateless instances behind a load balancer loses no stored data; no canary runs in this scenario',
      tier.rpoMs,
    ),
    phases: terminationPhases(o),
    components: [
      {
        component: INSTANCE_TERMINATION_FIGURES.capacityRestored,
        rto: f.capacity,
        label: label(`${p.autoScalingGroup} back at desired healthy capacity`),
      },
      { component: INSTANCE_TERMINATION_FIGURES.targetGroupHealthy, rto: f.targetGroup, label: label('target group healthy') },
      {
        component: INSTANCE_TERMINATION_FIGURES.serviceAlarmOk,
        rto: f.alarmOk,
        label: label(`service alarm ${p.serviceAlarm} OK again after it fired`),
      },
    ],
    resolution: { pollIntervalMs: p.pollIntervalMs },
    verdict: scenarioVerdict([f.capacity, f.targetGroup, f.alarmOk], neverFired),
    notes: [
      'RTO here = the last of the three figures (the service whole again); the verdict is over the three figures',
      ...[
        resolutionNote('capacity restored', o.capacity, from),
        resolutionNote('target group healthy', o.targetGroup, from),
        resolutionNote('service alarm fired', o.alarm?.fired, from),
        resolutionNote('service alarm OK', o.alarm?.ok, from),
      ].filter((x): x is string => x !== undefined),
    ],
  };
  const details: Record<string, unknown> = {
    runbook: p.runbookName,
    region: p.region,
    autoScalingGroup: p.autoScalingGroup,
    share: p.share,
    targetGroupArn: p.targetGroupArn,
    serviceAlarm: p.serviceAlarm,
    requiredTags: p.requiredTags,
    ...(o.steady ? { steadyState: o.steady.checks, desiredCapacity: o.steady.desiredCapacity } : {}),
    ...(o.selection ? { eligible: o.selection.eligible } : {}),
    ...(o.terminated
      ? { terminated: o.terminated.instanceIds, terminateCallAt: o.terminated.at, terminateCallReturnedAt: o.terminated.returnedAt }
      : {}),
    detections: detectionWindows({
      [INSTANCE_TERMINATION_FIGURES.capacityRestored]: o.capacity,
      [INSTANCE_TERMINATION_FIGURES.targetGroupHealthy]: o.targetGroup,
      'service-alarm-fired': o.alarm?.fired,
      [INSTANCE_TERMINATION_FIGURES.serviceAlarmOk]: o.alarm?.ok,
    }),
    ...(o.alarm?.fired.observedAt !== undefined && from !== undefined ? { serviceAlarmFiredAfterMs: o.alarm.fired.observedAt - from } : {}),
  };
  const notes = [
    ...(neverFired ? [`finding: the service alarm ${p.serviceAlarm} never fired (${o.alarm!.fired.timedOut})`] : []),
    ...(measurement.notes ?? []),
  ];
  const head = {
    ...ids,
    scenario: 'instance-termination',
    service: p.service,
    environment: p.runbook.environment,
    tier: p.runbook.tier,
  } as const;
  return scenarioReport({ ...head, awsMode: p.awsMode }, ending, { clock, timeline: timelineOf(o), measurement, details, notes });
}
