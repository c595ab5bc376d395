/**
 * preflightWorkflow through the client on the real dev server, with an in-process worker whose
 * activities talk to the simulated AWS seeded from runbooks/.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { listRunbookFiles, runbookName } from '../runbooks/load';
import { preflightWorkflow, type PreflightReport } from '../workflows';
import { startTestWorker, type TestWorker } from './helpers/worker';

let w: TestWorker;

beforeAll(async () => {
  w = await startTestWorker('preflight');
});
afterAll(async () => {
  await w?.shutdown();
});

function run(input: Parameters<typeof preflightWorkflow>[0], prefix = 'preflight'): Promise<PreflightReport> {
  return w.client.workflow.execute(preflightWorkflow, { taskQueue: w.taskQueue, workflowId: w.id(prefix), args: [input] });
}

/** The failure a run ended with: the run's own ApplicationFailure (type and message of the failed step's). */
async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const app = (err as WorkflowFailedError).cause;
  expect(app).toBeInstanceOf(ApplicationFailure);
  return app as ApplicationFailure;
}

describe('preflightWorkflow', () => {
  it('rejects bad UI-style input with InvalidRunbook before any AWS call', async () => {
    const before = w.sim.world.apiCalls.length;
    const unknownField = await failureOf(run({ runbok: 'payments-prod' } as never));
    expect(unknownField.type).toBe('InvalidRunbook');
    expect(unknownField.nonRetryable).toBe(true);
    expect(unknownField.message).toContain('<input>: runbok: unknown field "runbok"');

    const noSuch = await failureOf(run({ runbook: 'payments-staging' }));
    expect(noSuch.type).toBe('InvalidRunbook');
    expect(noSuch.message).toMatch(/no runbook named "payments-staging".*known: analytics-prod, orders-prod, payments-prod/);

    const yaml = 'service: x\nenvironment: prod\ntier: tier9\n';
    const badYaml = await failureOf(run({ runbook: 'inline', runbookYaml: yaml }));
    expect(badYaml.type).toBe('InvalidRunbook');
    expect(badYaml.message).toContain('inline:3: tier: ');

    expect(w.sim.world.apiCalls.slice(before)).toEqual([]);
  });

  it.each(listRunbookFiles().map((f) => [runbookName(f)]))('passes for the example runbook %s', async (name) => {
    const report = await run({ runbook: name });
    expect(report.runbook).toBe(name);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ready).toBe(true);
    expect(report.checks.length).toBeGreaterThan(3);
  });

  it('reports the resources and topology it checked for payments-prod', async () => {
    const report = await run('payments-prod');
    const names = report.checks.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'blast radius: account',
        'aurora: writer region of payments-global',
        'aurora: replication lag of payments-usw2',
        'route53: PRIMARY record db.payments.example.com (payments-use1)',
        'alarm payments-use1-5xx (us-east-1)',
        'elasticache: payments-sessions (us-east-1)',
        'ssm: parameter /payments/prod/db-region (us-east-1)',
      ]),
    );
    expect(report.targets).toEqual({ rpoMs: 5000, rtoMs: 900_000 });
    expect(report.tier).toBe('tier0');
  });

  it('fails on drifted traffic routing and replication lag with what was expected and what was found', async () => {
    const route53 = w.sim.route53({});
    const sets = await route53.listResourceRecordSets({ hostedZoneId: 'Z0ORDERS00001', name: 'api.orders.example.com' });
    const flipped = sets.filter((s) => s.setIdentifier).map((s) => ({ ...s, weight: s.setIdentifier === 'orders-euw1' ? 0 : 100 }));
    const change = await route53.changeResourceRecordSets({
      hostedZoneId: 'Z0ORDERS00001',
      changes: flipped.map((recordSet) => ({ action: 'UPSERT' as const, recordSet })),
    });
    expect(change.id).toBeTruthy();
    w.sim.rdsSim.setReplicationLag('orders-euc1', 20 * 60_000); // tier1 RPO is 15 min

    const report = await run({ runbook: 'orders-prod' }, 'preflight-drift');
    expect(report.ready).toBe(false);
    expect(report.checks.filter((c) => !c.ok)).toEqual([
      {
        name: 'aurora: replication lag of orders-euc1',
        ok: false,
        expected: 'max AuroraGlobalDBReplicationLag over 5 min <= 900000 ms (tier1 RPO)',
        found: expect.stringMatching(/^max 1200000 ms over \d+ datapoints$/),
      },
      {
        name: 'route53: weights of api.orders.example.com',
        ok: false,
        expected: 'all weight on eu-west-1 (orders-euw1), 0 elsewhere',
        found: 'orders-euw1=0, orders-euc1=100',
      },
    ]);
  });

  it('fails on a drifted Aurora topology, naming expected and found', async () => {
    w.sim.rdsSim.setWriterRegion('payments-global', 'us-west-2');
    try {
      const report = await run({ runbook: 'payments-prod' }, 'preflight-drift-aurora');
      expect(report.ready).toBe(false);
      const failed = report.checks.filter((c) => !c.ok);
      expect(failed).toContainEqual({
        name: 'aurora: writer region of payments-global',
        ok: false,
        expected: 'writer payments-use1 in us-east-1 (runbook aurora.primaryRegion)',
        found: 'writer payments-usw2 in us-west-2',
      });
      expect(failed.map((c) => c.name)).not.toContain('blast radius: account');
    } finally {
      w.sim.rdsSim.setWriterRegion('payments-global', 'us-east-1');
    }
    const healed = await run({ runbook: 'payments-prod' }, 'preflight-healed');
    expect(healed.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
