/**
 * Evidence of a run on the real Temporal dev server and the simulated CloudWatch: search
 * attributes (only measured figures), the `Gameday` metrics published once, `gameday report`'s
 * fetch (live query and result) and `gameday history`'s listing and trend.
 */
import { fetchReport } from '../cli/commands/report';
import { listHistory, renderHistory } from '../cli/commands/history';
import { createMeasurementActivities } from '../activities/measurement';
import { simDeps } from '../lib/composition-root';
import { createLogger } from '../lib/logger';
import type { RunReport } from '../lib/measurement-types';
import { loadRunbookByName } from '../runbooks/load';
import { SimAws } from '../sim';
import { SEARCH_KEYS } from '../lib/search-attributes';
import { evidenceProbeWorkflow, stopCanarySignal } from './helpers/canary-workflows';
import { sampleReport } from './helpers/sample-report';
import { connectWorker } from './helpers/worker';

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('recordEvidence sets search attributes and metrics; report and history read them back', async () => {
  const sim = new SimAws({ scale: 60 });
  sim.seedFromRunbook(loadRunbookByName('payments-prod'));
  const service = `ev${Date.now().toString(36)}`;
  const { client, taskQueue, stop } = await connectWorker('evidence', {
    deps: simDeps(sim, createLogger({ level: 'warn' })),
    workflows: { workflowsPath: require.resolve('./helpers/canary-workflows') },
    shutdownGraceTime: '5s',
  });
  const mk = (canary: boolean, n: number): RunReport => {
    const r = sampleReport(canary ? { rpoLost: 8 } : { canary: false });
    return { ...r, service, workflowId: `${service}-run${n}` };
  };
  try {
    const measured = mk(true, 1);
    const h1 = await client.workflow.start(evidenceProbeWorkflow, { taskQueue, workflowId: measured.workflowId, args: [measured] });
    // While running, `gameday report` answers from reportQuery.
    expect(await fetchReport(client, measured.workflowId)).toEqual(measured);
    const sa = await until(async () => {
      const d = await h1.describe();
      return d.typedSearchAttributes.get(SEARCH_KEYS.rpoSeconds) !== undefined ? d.typedSearchAttributes : undefined;
    });
    expect(sa.get(SEARCH_KEYS.service)).toBe(service);
    expect(sa.get(SEARCH_KEYS.scenario)).toBe('region-promotion');
    expect(sa.get(SEARCH_KEYS.tier)).toBe('tier0');
    expect(sa.get(SEARCH_KEYS.verdict)).toBe('pass');
    expect(sa.get(SEARCH_KEYS.rtoSeconds)).toBe(334);
    expect(sa.get(SEARCH_KEYS.rpoSeconds)).toBe(0.8);
    await h1.signal(stopCanarySignal);
    const out1 = await h1.result();
    expect(out1.notes).toEqual(measured.notes); // published: no "not published" note
    // Closed: `gameday report` reads the result.
    expect(await fetchReport(client, measured.workflowId)).toEqual(out1);

    const unmeasured = mk(false, 2);
    const h2 = await client.workflow.start(evidenceProbeWorkflow, { taskQueue, workflowId: unmeasured.workflowId, args: [unmeasured] });
    await h2.signal(stopCanarySignal);
    const out2 = await h2.result();
    expect(out2.notes).toEqual(unmeasured.notes);
    const sa2 = (await h2.describe()).typedSearchAttributes;
    expect(sa2.get(SEARCH_KEYS.verdict)).toBe('not-measured');
    expect(sa2.get(SEARCH_KEYS.rpoSeconds)).toBeUndefined();

    const metrics = sim.cloudwatchSim.metrics('Gameday', 'us-east-1').filter((d) => d.dimensions.Service === service);
    expect(metrics.map((d) => [d.metricName, d.value])).toEqual(
      expect.arrayContaining([
        ['MeasuredRtoSeconds', 334],
        ['MeasuredRpoSeconds', 0.8],
        ['Verdict', 1],
      ]),
    );
    expect(metrics).toHaveLength(4); // 3 for the measured run, 1 (RTO) for the other: no duplicates
    expect(metrics[0]!.dimensions).toEqual({ Service: service, Scenario: 'region-promotion', Tier: 'tier0' });

    const rows = await until(async () => {
      const r = await listHistory(client, { service, limit: 10 });
      return r.length === 2 ? r : undefined;
    });
    expect(rows.map((r) => [r.workflowId, r.verdict, r.rtoSeconds, r.rpoSeconds, r.rtoTargetSeconds, r.targetsFrom])).toEqual([
      [`${service}-run1`, 'pass', 334, 0.8, 900, 'report'],
      [`${service}-run2`, 'not-measured', 334, undefined, 900, 'report'],
    ]);
    const text = renderHistory(rows);
    expect(text).toMatch(/not measured/);
    expect(text).toMatch(
      /RTO: last 5 min 34 s, median 5 min 34 s, worst 5 min 34 s, flat since the first run, 2\/2 within target 15 min 00 s/,
    );
    expect(text).toMatch(/RPO: last 800 ms, median 800 ms, worst 800 ms, a single measured run, 1\/1 within target 5.00 s/);
  } finally {
    await stop();
    sim.close();
  }
});

test('readPredictedRpo reads the secondary lag from CloudWatch, or says why not', async () => {
  const sim = new SimAws({ scale: 60 });
  try {
    sim.seedFromRunbook(loadRunbookByName('payments-prod'));
    sim.seedFromRunbook(loadRunbookByName('analytics-prod'));
    sim.rdsSim.setReplicationLag('payments-usw2', 1234);
    const a = createMeasurementActivities(simDeps(sim, createLogger({ level: 'warn' })));
    expect(await a.readPredictedRpo({ runbook: 'payments-prod' })).toEqual({
      predictedRpoMs: 1234,
      metric: 'AuroraGlobalDBRPOLag',
      secondaryClusterId: 'payments-usw2',
    });
    const none = await a.readPredictedRpo({ runbook: 'analytics-prod' });
    expect(none.predictedRpoMs).toBeUndefined();
    expect(none.reason).toMatch(/no Aurora global database/);
    const queries = sim.world.apiCalls.filter((c) => c.service === 'cloudwatch' && c.operation === 'getMetricData');
    expect(queries).toHaveLength(1); // one region, one metric: the RPO lag answered
  } finally {
    sim.close();
  }
});
