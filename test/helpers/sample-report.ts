/** A realistic region-promotion RunReport built through the real timeline math (test fixture). */
import type { RunReport, TimelineEvent, TimelineEventName } from '../../lib/measurement-types';
import { measure } from '../../lib/timeline';
import { TIER_TARGETS } from '../../lib/tiers';

const T0 = Date.UTC(2026, 2, 14, 9, 0, 0);

function ev(name: TimelineEventName, atS: number, source: string, detail?: string): TimelineEvent {
  return { name, at: T0 + atS * 1000, source, ...(detail ? { detail } : {}) };
}

/** Builds the sample report; `rpoLost` = number of trailing canary writes missing. */
export function sampleReport(opts: { rpoLost?: number; canary?: boolean } = {}): RunReport {
  const timeline = [
    ev('fault-injected', 0, 'startExperiment', 'FIS experiment EXP123 started'),
    ev('failure-detected', 42, 'awaitAlarm', 'payments-use1-5xx in ALARM'),
    ev('approval-requested', 43, 'requestApproval'),
    ev('decision-made', 131, 'approvePromotionUpdate', 'approved by alice'),
    ev('promotion-started', 132, 'failoverGlobalCluster'),
    ev('promotion-finished', 247, 'awaitClusterWritable'),
    ev('traffic-shift-started', 248, 'shiftTraffic'),
    ev('traffic-converged', 309, 'awaitChangeInsync'),
    ev('app-healthy', 334, 'checkAppHealth'),
  ];
  const acked = Array.from({ length: 1300 }, (_, i) => ({ seq: i + 1, at: T0 - 10_000 + i * 100 }));
  const lost = opts.rpoLost ?? 8;
  const measurement = measure({
    timeline,
    targets: TIER_TARGETS.tier0,
    resolution: { pollIntervalMs: 250 },
    predictedRpoMs: 640,
    ...(opts.canary === false
      ? { canary: { notMeasured: 'canary endpoint unreachable before the fault: ECONNREFUSED' } }
      : {
          canary: {
            writer: { runId: 'wf-1', ratePerSecond: 10, acked, failedAttempts: 310 },
            reader: { presentSeqs: [], presentRanges: [[1, 1300 - lost]], readAt: T0 + 260_000 },
          },
        }),
  });
  return {
    schemaVersion: 1,
    workflowId: 'region-promotion-payments-prod-20260314',
    runId: 'c0ffee00-1111-2222-3333-444455556666',
    scenario: 'region-promotion',
    service: 'payments',
    environment: 'prod',
    tier: 'tier0',
    awsMode: 'sim',
    outcome: 'completed',
    timeline,
    measurement,
    details: { runbook: 'payments-prod', mode: 'failover', fromRegion: 'us-east-1', toRegion: 'us-west-2' },
    notes: ['sample report <for tests>'],
  };
}
