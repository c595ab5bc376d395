/**
 * The findings of a region cut, from what its activities observed: the figures (from the cut
 * taking effect, FIS's action start time, to the first read that saw the Route 53 health checks
 * failed, DNS answering with the secondary, the health alarms in ALARM), the timeline, notes,
 * details and the `RunReport`. The RTO of the scenario is the DNS figure (traffic left the cut
 * region); RPO is not part of it (the cut leaves the database alone; a chained promotion reports
 * its own RPO). Pure and deterministic.
 */
import type { FaultInEffect, RegionCutPlan, RegionCutSteadyState, RegionCutTemplate, Detection } from '../contracts/region-cut';
import { REGION_CUT_FIGURES } from '../contracts/region-cut';
import type { StartedExperiment, StoppedExperiment } from '../contracts/az-loss';
import type { Figure, Measurement, RunReport, TimelineEvent } from './measurement-types';
import { clockWords, detectionFigure, detectionWindows, resolutionNote, scenarioClock, scenarioVerdict } from './scenario-figures';
import { notMeasured } from './timeline';
import { targetsFor } from './tiers';
import { scenarioReport } from './report-head';

/** Everything a region-cut run observed so far (raw activity results). */
export interface RegionCutObserved {
  plan?: RegionCutPlan;
  steady?: RegionCutSteadyState;
  template?: RegionCutTemplate;
  experiment?: StartedExperiment;
  fault?: FaultInEffect;
  healthChecks?: Detection;
  dns?: Detection;
  alarms?: Detection;
  promotion?: { readonly workflowId: string; readonly report?: RunReport; readonly failure?: string };
  stopped?: StoppedExperiment;
  stopFailure?: string;
  templatesDeleted?: readonly string[];
  restored?: Detection;
}

/** How a run ended, as its report says. */
export interface RegionCutEnding {
  readonly outcome: RunReport['outcome'];
  readonly reason?: string;
}

/** The three figures of a run, in the contract's order. */
export function regionCutFigures(o: RegionCutObserved): { healthChecks: Figure; dns: Figure; alarms: Figure } {
  const p = o.plan!;
  const from = o.fault?.at;
  const why = 'the run ended before it was measured';
  return {
    healthChecks: detectionFigure(o.healthChecks, from, p.targets.healthChecksFailMs, why),
    dns: detectionFigure(o.dns, from, p.targets.dnsAnswersSecondaryMs, why),
    alarms: detectionFigure(o.alarms, from, p.targets.alarmsFireMs, why),
  };
}

/** Findings: what never happened within the detection timeout (each one fails the verdict). */
export function regionCutFindings(o: RegionCutObserved): string[] {
  const out: string[] = [];
  const p = o.plan!;
  if (o.healthChecks?.timedOut)
    out.push(
      `finding: health check(s) ${p.healthChecks.filter((h) => !o.healthChecks?.items?.[h]).join(', ')} never failed (${o.healthChecks.timedOut})`,
    );
  if (o.dns?.timedOut) out.push(`finding: DNS never answered with ${p.secondaryRegion} (${o.dns.timedOut}; last answer ${o.dns.seen})`);
  if (o.alarms?.timedOut)
    out.push(`finding: alarm(s) ${p.healthAlarms.filter((a) => !o.alarms?.items?.[a]).join(', ')} never fired (${o.alarms.timedOut})`);
  return out;
}

/** How a completed measurement ends the run: always completed (findings fail the verdict, not the run). */
export function regionCutEnding(o: RegionCutObserved): RegionCutEnding {
  const findings = regionCutFindings(o);
  return findings.length > 0 ? { outcome: 'completed', reason: findings.join('; ') } : { outcome: 'completed' };
}

function timelineOf(o: RegionCutObserved): TimelineEvent[] {
  const p = o.plan!;
  const t: TimelineEvent[] = [];
  if (o.fault)
    t.push({
      name: 'fault-injected',
      at: o.fault.at,
      source: 'awaitFaultInEffect',
      detail: `entry points of ${p.region} cut (${o.fault.experimentId})`,
    });
  if (o.healthChecks?.observedAt !== undefined)
    t.push({ name: 'failure-detected', at: o.healthChecks.observedAt, source: 'awaitHealthChecksFailed', detail: o.healthChecks.what });
  if (o.alarms?.observedAt !== undefined)
    t.push({ name: 'failure-detected', at: o.alarms.observedAt, source: 'awaitHealthAlarmsFired', detail: o.alarms.what });
  if (o.dns?.observedAt !== undefined)
    t.push({ name: 'traffic-converged', at: o.dns.observedAt, source: 'awaitDnsAnswersSecondary', detail: o.dns.what });
  if (o.stopped)
    t.push({ name: 'cleanup-finished', at: o.stopped.endedAt, source: 'stopFisExperiment', detail: `experiment ${o.stopped.status}` });
  return t.sort((a, b) => a.at - b.at);
}

function measurementOf(o: RegionCutObserved, clock: string): Measurement {
  const p = o.plan!;
  const f = regionCutFigures(o);
  const tier = targetsFor(p.runbook.tier);
  const rto = f.dns;
  const label = (what: string): string => `${what}, from the cut taking effect (${clock})`;
  const components: Measurement['components'][number][] = [
    { component: REGION_CUT_FIGURES.healthChecksFailed, rto: f.healthChecks, label: label(`Route 53 health checks of ${p.region} failed`) },
    { component: REGION_CUT_FIGURES.dnsAnswersSecondary, rto: f.dns, label: label(`DNS answers with ${p.secondaryRegion}`) },
    { component: REGION_CUT_FIGURES.alarmsFired, rto: f.alarms, label: label(`health alarms of ${p.region} in ALARM`) },
  ];
  const child = o.promotion?.report;
  if (child)
    components.push({
      component: 'region-promotion',
      rto: child.measurement.rto,
      label: `region promotion RTO (child ${child.workflowId}, from its own start; ${clock})`,
    });
  const phases: Measurement['phases'][number][] = [];
  const from = o.fault?.at;
  const hc = o.healthChecks?.observedAt;
  const dns = o.dns?.observedAt;
  if (from !== undefined && hc !== undefined)
    phases.push({ phase: 'detect', startAt: from, endAt: hc, durationMs: Math.max(0, hc - from) });
  if (hc !== undefined && dns !== undefined) phases.push({ phase: 'traffic', startAt: hc, endAt: dns, durationMs: Math.max(0, dns - hc) });
  return {
    targets: { rpoMs: tier.rpoMs, rtoMs: p.targets.dnsAnswersSecondaryMs },
    rto,
    rpo: notMeasured(
      'a cut of the entry points leaves the database alone: no data is at risk (a chained promotion reports its own RPO)',
      tier.rpoMs,
    ),
    phases,
    components,
    resolution: { pollIntervalMs: p.pollIntervalMs },
    verdict: scenarioVerdict([f.healthChecks, f.dns, f.alarms, ...(child ? [child.measurement.rto] : [])], regionCutFindings(o).length > 0),
    notes: [
      'RTO here = from the cut taking effect until DNS answers with the secondary (traffic left the cut region); the verdict is over the three figures (and the chained promotion, if any)',
      ...[
        resolutionNote('health checks failed', o.healthChecks, from),
        resolutionNote('DNS answers with the secondary', o.dns, from),
        resolutionNote('health alarms fired', o.alarms, from),
      ].filter((x): x is string => x !== undefined),
    ],
  };
}

/** The run's report (undefined before the plan exists). */
export function regionCutReport(
  ids: { workflowId: string; runId: string },
  o: RegionCutObserved,
  ending: RegionCutEnding,
): RunReport | undefined {
  const p = o.plan;
  if (!p) return undefined;
  const clock = scenarioClock(p.awsMode, p.clockScale, p.preparedAtWall);
  const measurement = measurementOf(o, clockWords(clock));
  const details: Record<string, unknown> = {
    runbook: p.runbookName,
    region: p.region,
    secondaryRegion: p.secondaryRegion,
    fisAction: 'aws:network:disrupt-connectivity (scope all) on the entry-point subnets',
    loadBalancers: p.loadBalancers,
    healthChecks: p.healthChecks,
    healthAlarms: p.healthAlarms,
    ...(o.steady ? { steadyState: o.steady.checks } : {}),
    ...(o.template ? { templateId: o.template.id } : {}),
    ...(o.experiment ? { experimentId: o.experiment.experimentId } : {}),
    ...(o.fault ? { faultAt: Math.round(o.fault.at) } : {}),
    detections: detectionWindows({
      [REGION_CUT_FIGURES.healthChecksFailed]: o.healthChecks,
      [REGION_CUT_FIGURES.dnsAnswersSecondary]: o.dns,
      [REGION_CUT_FIGURES.alarmsFired]: o.alarms,
    }),
    ...(o.healthChecks?.items ? { healthChecksFailedAt: o.healthChecks.items } : {}),
    ...(o.alarms?.items ? { alarmsFiredAt: o.alarms.items } : {}),
    ...(o.promotion ? { promotionWorkflowId: o.promotion.workflowId } : {}),
    ...(o.stopped ? { experimentState: o.stopped.status, experimentStoppedByGameday: o.stopped.stoppedByUs } : {}),
    ...(o.templatesDeleted ? { templatesDeleted: o.templatesDeleted } : {}),
    ...(o.restored?.observedAt !== undefined && o.stopped ? { restoredAfterStopMs: o.restored.observedAt - o.stopped.endedAt } : {}),
  };
  const notes = [
    ...regionCutFindings(o),
    ...(o.promotion?.failure ? [`region promotion: ${o.promotion.failure}`] : []),
    ...(o.restored?.timedOut ? [`${o.restored.what}: ${o.restored.timedOut}`] : []),
    ...(o.stopFailure ? [o.stopFailure] : []),
  ];
  const head = { ...ids, scenario: 'region-cut', service: p.service, environment: p.runbook.environment, tier: p.runbook.tier } as const;
  return scenarioReport({ ...head, awsMode: p.awsMode }, ending, { clock, timeline: timelineOf(o), measurement, details, notes });
}
