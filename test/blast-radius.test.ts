/**
 * The worker owns the blast radius (issue 11, item 1):
 * - the schema keeps every ARN and AWS endpoint anywhere in a runbook inside its own blast radius
 *   (found by a generic walk: secret, role, routing control, subnet, allowed ARN, endpoint, a value);
 * - a worker started with a narrow policy refuses, on the real Temporal server, inline runbook
 *   YAML, runbooks (by name or inline) that reach past its accounts or regions, for every playbook,
 *   non-retryably, naming the field and the fix, before any AWS call (the sim's API log);
 * - the guard around the AWS ports (wired by the composition root) refuses any call whose target or
 *   ARN arguments lie outside the policy before it reaches the sim.
 * Refusal times are measured (wall clock, `performance.now`, from the client's start to the failure) and printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WorkflowFailedError } from '@temporalio/client';
import { startTestWorker, type TestWorker } from './helpers/worker';
import { parseRunbook, DEFAULT_RUNBOOK_DIR, RunbookValidationError } from '../runbooks/load';
import { policyIssues, type WorkerPolicy } from '../runbooks/blast-radius';
import { guardAwsClients } from '../activities/aws/blast-radius-guard';
import { loadWorkerPolicy } from '../lib/worker-policy';
import { loadWorkerConfig } from '../lib/config';
import {
  azLossGameDayWorkflow,
  backtrackDrillWorkflow,
  orphanSweeperWorkflow,
  preflightWorkflow,
  restoreVerificationWorkflow,
  trafficShiftWorkflow,
} from '../workflows';

const PAYMENTS = readFileSync(join(DEFAULT_RUNBOOK_DIR, 'payments-prod.yaml'), 'utf8');
const POLICY: WorkerPolicy = {
  accounts: ['111122223333'],
  regions: ['us-east-1', 'us-west-2'],
  allowInlineRunbooks: false,
  source: 'test policy',
};

function issuesOf(yaml: string): { path: string; message: string }[] {
  try {
    parseRunbook(yaml, 'rb.yaml');
  } catch (err) {
    if (err instanceof RunbookValidationError) return err.issues.map((i) => ({ path: i.path, message: i.message }));
    throw err;
  }
  return [];
}

describe('schema: every ARN and AWS endpoint anywhere inside the runbook blast radius', () => {
  const cases: [string, string, (y: string) => string][] = [
    ['canary.secretArn', 'region eu-west-1', (y) => y.replace('secretsmanager:us-east-1:', 'secretsmanager:eu-west-1:')],
    ['fis.roleArn', 'account 999988887777', (y) => y.replace('iam::111122223333:role', 'iam::999988887777:role')],
    [
      'fis.subnetArns.us-east-1a.0',
      'account 222233334444',
      (y) =>
        y.replace(
          '  autoScalingGroups:',
          '  subnetArns: { us-east-1a: ["arn:aws:ec2:us-east-1:222233334444:subnet/subnet-0a1"] }\n  autoScalingGroups:',
        ),
    ],
    [
      'fis.policy.allowedArns.0',
      'region ap-south-1',
      (y) =>
        y.replace(
          '  autoScalingGroups:',
          '  policy: { allowedArns: ["arn:aws:dynamodb:ap-south-1:111122223333:table/t"] }\n  autoScalingGroups:',
        ),
    ],
    [
      'canary.endpoint',
      'region eu-central-1',
      (y) => y.replace(/endpoint: .*/, 'endpoint: payments.cluster-c1.eu-central-1.rds.amazonaws.com'),
    ],
    [
      'appReconfiguration.valueTemplate',
      'account 999988887777',
      (y) =>
        y.replace(
          '  name: /payments/prod/db-region',
          '  name: /payments/prod/db-region\n  valueTemplate: "arn:aws:sns:us-east-1:999988887777:dr-topic"',
        ),
    ],
    [
      'alarms.stopConditions.0',
      'account 999988887777',
      (y) =>
        y.replace(
          'stopConditions: [payments-error-rate-critical]',
          'stopConditions: ["arn:aws:cloudwatch:us-east-1:999988887777:alarm:x"]',
        ),
    ],
  ];
  test.each(cases)('%s: %s is refused, naming the field and the fix', (path, what, mutate) => {
    const mutated = mutate(PAYMENTS);
    expect(mutated).not.toBe(PAYMENTS);
    const found = issuesOf(mutated).find((i) => i.path === path);
    expect(found?.message).toContain(what);
    expect(found?.message).toMatch(/outside blastRadius\.(accounts|regions).*; use a resource inside the blast radius or add the/);
  });

  test('the routing controls of an ARC runbook are checked the same way', () => {
    const arc = PAYMENTS.replace(
      / {2}routing:\n( {4}.*\n)+/,
      [
        '  routing:',
        '    policy: arc',
        '    clusterEndpoints: ["https://host-a.route53-recovery-cluster.us-west-2.amazonaws.com/v1"]',
        '    clusterRegion: us-west-2',
        '    routingControls:',
        '      us-east-1: arn:aws:route53-recovery-control::999988887777:controlpanel/abc/routingcontrol/use1',
        '      us-west-2: arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/usw2',
        '',
      ].join('\n'),
    );
    expect(issuesOf(arc)).toEqual([
      { path: 'route53.routing.routingControls.us-east-1', message: expect.stringContaining('account 999988887777') },
    ]);
    expect(issuesOf(PAYMENTS)).toEqual([]);
  });
});

describe("the worker's policy", () => {
  test('a runbook can only narrow it: accounts, regions and runbook names outside are refused', () => {
    const rb = parseRunbook(PAYMENTS);
    expect(policyIssues(rb, 'payments-prod', POLICY)).toEqual([]);
    expect(policyIssues(rb, 'payments-prod', { ...POLICY, regions: ['us-east-1'] })).toEqual([
      expect.objectContaining({
        path: 'blastRadius.regions.1',
        message: expect.stringContaining('region us-west-2 is outside the worker'),
      }),
    ]);
    expect(policyIssues(rb, 'payments-prod', { ...POLICY, accounts: ['444455556666'] })[0]).toMatchObject({
      path: 'blastRadius.accounts.0',
    });
    expect(policyIssues(rb, 'payments-prod', { ...POLICY, runbooks: ['orders-prod'] })[0]).toMatchObject({
      path: 'runbook',
      message: expect.stringContaining('allows orders-prod'),
    });
  });

  test('from the environment; a worker on real AWS must be told what it may touch', () => {
    const env = {
      GAMEDAY_ALLOWED_ACCOUNTS: '111122223333, 444455556666',
      GAMEDAY_ALLOWED_REGIONS: 'us-east-1',
      GAMEDAY_ALLOW_INLINE_RUNBOOKS: 'true',
    };
    expect(loadWorkerPolicy(loadWorkerConfig({ ...env, GAMEDAY_AWS: 'real' }), DEFAULT_RUNBOOK_DIR)).toMatchObject({
      accounts: ['111122223333', '444455556666'],
      regions: ['us-east-1'],
      allowInlineRunbooks: true,
    });
    expect(() => loadWorkerPolicy(loadWorkerConfig({ GAMEDAY_AWS: 'real' }), DEFAULT_RUNBOOK_DIR)).toThrow(
      /GAMEDAY_ALLOWED_ACCOUNTS \/ GAMEDAY_ALLOWED_REGIONS: a worker on real AWS must be told what it may touch/,
    );
    expect(() => loadWorkerPolicy(loadWorkerConfig({ ...env, GAMEDAY_ALLOWED_ACCOUNTS: '12345' }), DEFAULT_RUNBOOK_DIR)).toThrow(
      /GAMEDAY_ALLOWED_ACCOUNTS: "12345": expected 12-digit AWS account ids/,
    );
    // Nothing configured on the simulated AWS: the runbook folder's union, inline YAML off.
    expect(loadWorkerPolicy(loadWorkerConfig({}), DEFAULT_RUNBOOK_DIR)).toMatchObject({
      accounts: expect.arrayContaining(['111122223333', '444455556666']),
      allowInlineRunbooks: false,
    });
  });
});

describe('a worker with a narrow policy, on the real Temporal server', () => {
  let w: TestWorker;
  beforeAll(async () => {
    w = await startTestWorker('blast-radius', { policy: POLICY });
  });
  afterAll(async () => {
    await w?.shutdown();
  });

  /** Every failure message down the cause chain, and whether one of them is non-retryable. */
  function chain(err: unknown): { text: string; nonRetryable: boolean } {
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const parts: string[] = [];
    let nonRetryable = false;
    for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
      parts.push(String((e as Error).message));
      if ((e as { nonRetryable?: boolean }).nonRetryable) nonRetryable = true;
    }
    return { text: parts.join(' | '), nonRetryable };
  }

  const refusals: [string, () => Promise<unknown>, RegExp][] = [
    [
      'inline runbook YAML when the worker does not allow it',
      () =>
        w.client.workflow.execute(preflightWorkflow, {
          taskQueue: w.taskQueue,
          workflowId: w.id('br'),
          args: [{ runbook: 'payments-prod', runbookYaml: PAYMENTS }],
        }),
      /runbookYaml: inline runbook YAML is off on this worker: .*GAMEDAY_ALLOW_INLINE_RUNBOOKS=true/,
    ],
    [
      'preflight of a runbook in other regions',
      () =>
        w.client.workflow.execute(preflightWorkflow, {
          taskQueue: w.taskQueue,
          workflowId: w.id('br'),
          args: [{ runbook: 'orders-prod' }],
        }),
      /blastRadius\.regions\.0: region eu-west-1 is outside the worker's blast radius; the worker's policy \(test policy\) allows regions us-east-1, us-west-2/,
    ],
    [
      'restore verification in another account',
      () =>
        w.client.workflow.execute(restoreVerificationWorkflow, {
          taskQueue: w.taskQueue,
          workflowId: w.id('br'),
          args: [{ runbook: 'analytics-prod' }],
        }),
      /blastRadius\.accounts\.0: account 444455556666 is outside the worker's blast radius/,
    ],
    [
      'backtrack drill in another account',
      () =>
        w.client.workflow.execute(backtrackDrillWorkflow, {
          taskQueue: w.taskQueue,
          workflowId: w.id('br'),
          args: [{ runbook: 'analytics-prod' }],
        }),
      /blastRadius\.accounts\.0: account 444455556666/,
    ],
    [
      'AZ-loss game day in other regions',
      () =>
        w.client.workflow.execute(azLossGameDayWorkflow, {
          taskQueue: w.taskQueue,
          workflowId: w.id('br'),
          args: [{ runbook: 'orders-prod', az: 'eu-west-1a' }],
        }),
      /blastRadius\.regions\.0: (orders-prod: )?region eu-west-1 is outside the worker's blast radius/,
    ],
    [
      'traffic shift in other regions',
      () =>
        w.client.workflow.execute(trafficShiftWorkflow, {
          taskQueue: w.taskQueue,
          workflowId: w.id('br'),
          args: [{ runbook: 'orders-prod', targetRegion: 'eu-central-1' }],
        }),
      /blastRadius\.regions\.0: region eu-west-1/,
    ],
    [
      'orphan sweep of another account',
      () =>
        w.client.workflow.execute(orphanSweeperWorkflow, {
          taskQueue: w.taskQueue,
          workflowId: w.id('br'),
          args: [{ runbooks: ['analytics-prod'], olderThan: '12h' }],
        }),
      /blastRadius\.accounts\.0: account 444455556666/,
    ],
  ];

  test.each(refusals)('refuses %s: non-retryable, field and fix named, no AWS call', async (what, start, message) => {
    const calls = w.sim.world.apiCalls.length;
    const t0 = performance.now();
    const err = await start().then(
      () => undefined,
      (e: unknown) => e,
    );
    const ms = performance.now() - t0;
    const { text, nonRetryable } = chain(err);
    expect(text).toMatch(message);
    expect(nonRetryable).toBe(true);
    expect(w.sim.world.apiCalls.slice(calls)).toEqual([]);
    process.stdout.write(`refusal "${what}": ${ms.toFixed(0)} ms (wall clock, performance.now, start to failure), 0 AWS calls\n`);
  });

  test('a runbook inside the policy runs', async () => {
    const report = await w.client.workflow.execute(preflightWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: w.id('br-ok'),
      args: [{ runbook: 'payments-prod' }],
    });
    expect(report.ready).toBe(true);
  });

  test('the composition root puts the guard around the ports: calls outside the policy never reach the sim', async () => {
    const calls = w.sim.world.apiCalls.length;
    const aws = w.deps.aws;
    const refused: [string, () => Promise<unknown>, RegExp][] = [
      [
        'region',
        () => aws.rds({ region: 'eu-west-1', accountId: '111122223333' }).describeDbCluster('orders-euw1'),
        /target region eu-west-1/,
      ],
      [
        'account',
        () => aws.rds({ region: 'us-east-1', accountId: '444455556666' }).describeDbCluster('payments-use1'),
        /target account 444455556666/,
      ],
      [
        'ARN argument',
        () =>
          aws.rds({ region: 'us-east-1', accountId: '111122223333' }).switchoverGlobalCluster({
            globalClusterIdentifier: 'payments-global',
            targetDbClusterArn: 'arn:aws:rds:eu-west-1:111122223333:cluster:orders-euw1',
          }),
        /argument1\.targetDbClusterArn: ARN in region eu-west-1/,
      ],
      [
        'secret in another account',
        () => aws.secrets({ region: 'us-east-1' }).getDbCredentials('arn:aws:secretsmanager:us-east-1:999988887777:secret:x-AbCdEf'),
        /argument1: ARN in account 999988887777/,
      ],
      [
        'ARC endpoint in another region',
        () =>
          aws
            .arc({
              region: 'us-east-1',
              accountId: '111122223333',
              clusterEndpoints: ['https://h.route53-recovery-cluster.eu-west-1.amazonaws.com/v1'],
            })
            .getRoutingControlState('arn:aws:route53-recovery-control::111122223333:controlpanel/a/routingcontrol/b'),
        /clusterEndpoints\.0: endpoint in region eu-west-1/,
      ],
      [
        'FIS role in another account',
        () =>
          aws.fis({ region: 'us-east-1', accountId: '111122223333' }).createExperimentTemplate({
            clientToken: 't',
            description: 'x',
            roleArn: 'arn:aws:iam::999988887777:role/fis',
            targets: {},
            actions: {},
            stopConditions: [{ source: 'none' }],
          } as never),
        /argument1\.roleArn: ARN in account 999988887777/,
      ],
    ];
    for (const [what, call, message] of refused) {
      const err = await call().then(
        () => new Error(`${what}: not refused`),
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ type: 'BlastRadiusViolation', nonRetryable: true, message: expect.stringMatching(message) });
      expect((err as Error).message).toMatch(
        /refused before any AWS call: .*; the worker may act only on (accounts|regions) .* \(test policy\)/,
      );
    }
    expect(w.sim.world.apiCalls.slice(calls)).toEqual([]);
    // Inside the policy the call goes through.
    await expect(aws.rds({ region: 'us-east-1', accountId: '111122223333' }).describeDbCluster('payments-use1')).resolves.toMatchObject({
      dbClusterIdentifier: 'payments-use1',
    });
    expect(w.sim.world.apiCalls.length).toBe(calls + 1);
    // Idempotent: guarding twice is one guard.
    expect(guardAwsClients(aws, w.deps.policy!)).toBe(aws);
  });
});

describe('a worker that allows inline YAML still only lets the runbook narrow its blast radius', () => {
  let w: TestWorker;
  beforeAll(async () => {
    w = await startTestWorker('blast-radius-inline', { policy: { ...POLICY, allowInlineRunbooks: true } });
  });
  afterAll(async () => {
    await w?.shutdown();
  });

  test('an inline runbook that widens the accounts is refused; one inside runs', async () => {
    const calls = w.sim.world.apiCalls.length;
    const wider = PAYMENTS.replace("accounts: ['111122223333']", "accounts: ['111122223333', '999988887777']");
    const t0 = performance.now();
    const err = await w.client.workflow
      .execute(preflightWorkflow, {
        taskQueue: w.taskQueue,
        workflowId: w.id('br-inline'),
        args: [{ runbook: 'payments-prod', runbookYaml: wider }],
      })
      .catch((e: unknown) => e);
    const ms = performance.now() - t0;
    expect((err as WorkflowFailedError).cause).toMatchObject({
      type: 'InvalidRunbook',
      nonRetryable: true,
      message: expect.stringContaining("blastRadius.accounts.1: account 999988887777 is outside the worker's blast radius"),
    });
    expect(w.sim.world.apiCalls.slice(calls)).toEqual([]);
    process.stdout.write(
      `refusal "inline runbook widening the accounts": ${ms.toFixed(0)} ms (wall clock, performance.now), 0 AWS calls\n`,
    );

    const ok = await w.client.workflow.execute(preflightWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: w.id('br-inline-ok'),
      args: [{ runbook: 'payments-prod', runbookYaml: PAYMENTS }],
    });
    expect(ok.ready).toBe(true);
  });
});
