/**
 * The sim server and its HTTP client: ports as Proxies over `POST /call` (results and errors
 * round-trip with their AWS names), the canary data plane, the control API (faults, ground truth,
 * RDS control methods, seeding) and a second client seeing the same world (a worker restart).
 */
import { join } from 'node:path';
import { loadRunbookByName } from '../runbooks/load';
import { createSimFromRunbookDir, type SimAws } from '../sim';
import { connectSim, type SimConnection } from '../sim/http-client';
import { startSimServer, type SimServer } from '../sim/server';
import { SimAwsError } from '../sim/world';

const RUNBOOKS = join(__dirname, '..', 'runbooks');
const PAY_USW2 = 'arn:aws:rds:us-west-2:111122223333:cluster:payments-usw2';
const SECRET = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:gameday/payments-canary-AbCdEf';

describe('sim server + client', () => {
  let sim: SimAws;
  let server: SimServer;
  let client: SimConnection;
  beforeAll(async () => {
    sim = createSimFromRunbookDir(RUNBOOKS, { scale: 1200, seed: 11 });
    server = await startSimServer({ sim });
    client = await connectSim(server.url);
  });
  afterAll(async () => {
    await server.close();
    sim.close();
  });

  test('clock spec, port calls and AWS errors round-trip', async () => {
    expect(await client.control.clockSpec()).toEqual(sim.world.clockSpec);
    expect(client.clock.scale).toBe(1200);
    const rds = client.aws.rds({ region: 'us-east-1', accountId: '111122223333' });
    expect(rds.region).toBe('us-east-1');
    const g = await rds.describeGlobalCluster('payments-global');
    expect(g.members.find((m) => m.isWriter)!.dbClusterArn).toBe('arn:aws:rds:us-east-1:111122223333:cluster:payments-use1');
    const e = await rds.describeDbCluster('nope').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SimAwsError);
    expect(e).toMatchObject({ name: 'DBClusterNotFoundFault', httpStatus: 404, retryable: false, $metadata: { httpStatusCode: 404 } });
    expect(await client.aws.secrets({ region: 'us-east-1' }).getDbCredentials(SECRET)).toMatchObject({ username: 'payments_canary' });
    await expect(client.aws.secrets({ region: 'us-east-1' }).getDbCredentials(`${SECRET}x`)).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect((client.aws.rds({ region: 'us-east-1' }) as unknown as { nope(): Promise<void> }).nope()).rejects.toMatchObject({
      name: 'SimBadRequest',
    });
  });

  test('faults set through the control API surface with their names and retryable flag', async () => {
    const rds = client.aws.rds({ region: 'us-east-1' });
    const id = await client.control.addFault({ service: 'rds', operation: 'describeDbCluster', kind: 'throttle' });
    await expect(rds.describeDbCluster('payments-use1')).rejects.toMatchObject({ name: 'ThrottlingException', retryable: true });
    await client.control.clearFaults(id);
    await client.control.addFault({ service: 'rds', kind: '5xx', count: 1 });
    await expect(rds.describeDbCluster('payments-use1')).rejects.toMatchObject({
      name: 'InternalFailure',
      httpStatus: 500,
      retryable: true,
    });
    expect((await rds.describeDbCluster('payments-use1')).status).toBe('available');
    await client.control.clearFaults();
    await expect(client.control.addFault({ kind: 'boom' } as never)).rejects.toMatchObject({
      name: 'SimBadRequest',
      message: expect.stringContaining('fault kind'),
    });
    const calls = await client.control.apiCalls();
    expect(calls.filter((c) => c.operation === 'describeDbCluster').length).toBeGreaterThanOrEqual(3);
  });

  test('canary over HTTP and RDS control methods (impair region, lag)', async () => {
    const target = {
      engine: 'postgres' as const,
      endpoint: 'payments-global.global-abc123.global.rds.amazonaws.com',
      database: 'payments',
      secretArn: SECRET,
      region: 'us-east-1',
      table: 'gameday_canary',
    };
    const store = await client.canary.connect(target);
    await store.ensureTable();
    expect(await store.write('srv', 1, 1000)).toEqual({ seq: 1, at: 1000 });
    expect(await store.newest('srv')).toEqual({ seq: 1, at: 1000 });
    await expect(client.canary.connect({ ...target, endpoint: 'x.cluster-y.us-east-1.rds.amazonaws.com' })).rejects.toMatchObject({
      name: 'UnknownHost',
    });

    await client.control.rds.setReplicationLag('payments-usw2', 4321);
    expect(await client.control.rds.replicationLagMs('payments-usw2')).toBe(4321);
    await client.control.rds.impairRegion('us-east-1');
    await expect(client.aws.rds({ region: 'us-east-1' }).describeGlobalCluster('payments-global')).rejects.toMatchObject({
      name: 'InternalFailure',
      retryable: true,
    });
    await expect(store.write('srv', 2, 2000)).rejects.toMatchObject({ name: 'ConnectionRefused' });
    await client.control.rds.restoreRegion('us-east-1');
    expect(await store.write('srv', 3, 3000)).toEqual({ seq: 3, at: 3000 });
    await expect(client.control.invoke('rds', 'api')).rejects.toMatchObject({ name: 'SimBadRequest' });
    await expect(client.control.invoke('rds', 'noSuchMethod')).rejects.toMatchObject({ name: 'SimBadRequest' });
    const log = await client.control.log();
    expect(log.filter((e) => e.event === 'region-impaired' || e.event === 'region-restored').map((e) => e.event)).toEqual([
      'region-impaired',
      'region-restored',
    ]);
  });

  test('a switchover through one client is seen, finished, by a second client (worker restart)', async () => {
    const rds = client.aws.rds({ region: 'us-east-1' });
    await rds.switchoverGlobalCluster({ globalClusterIdentifier: 'payments-global', targetDbClusterArn: PAY_USW2 });
    const second = await connectSim(server.url);
    const usw2 = second.aws.rds({ region: 'us-west-2' });
    for (;;) {
      const g = await usw2.describeGlobalCluster('payments-global');
      if (!g.failoverState) {
        expect(g.members.find((m) => m.isWriter)!.dbClusterArn).toBe(PAY_USW2);
        break;
      }
      await second.clock.sleep(5000);
    }
    const log = await second.control.log();
    const promo = log.find((e) => e.event === 'global-promotion-complete');
    expect(promo?.detail).toMatchObject({ newWriter: PAY_USW2 });
    expect(await second.control.rds.writerRegion('payments-global')).toBe('us-west-2');
  });

  test('seeding a runbook object and a drifted topology through the control API', async () => {
    const rb = loadRunbookByName('orders-prod', RUNBOOKS);
    const copy = {
      ...rb,
      aurora: {
        ...rb.aurora!,
        globalClusterId: 'orders2-global',
        members: rb.aurora!.members.map((m) => ({ ...m, clusterId: m.clusterId.replace('orders', 'orders2'), instances: undefined })),
      },
    };
    expect(await client.control.seed({ runbook: JSON.parse(JSON.stringify(copy)) })).toBe(1);
    const euc1 = client.aws.rds({ region: 'eu-central-1' });
    expect((await euc1.listDbInstances({ dbClusterIdentifier: 'orders2-euc1' })).map((i) => i.availabilityZone)).toEqual([
      'eu-central-1a',
      'eu-central-1b',
    ]);
    await client.control.rds.setWriterRegion('orders2-global', 'eu-central-1');
    expect(await client.control.rds.writerRegion('orders2-global')).toBe('eu-central-1');
    await expect(client.control.seed({ runbook: { service: 'x' } })).rejects.toMatchObject({ name: 'RunbookValidationError' });
  });
});

describe('sim server configuration (POST /config)', () => {
  let sim: SimAws;
  let server: SimServer;
  const post = async (body: unknown): Promise<{ status: number; json: { result?: unknown; error?: { message: string } } }> => {
    const res = await fetch(`${server.url}/config`, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as { result?: unknown; error?: { message: string } } };
  };
  beforeAll(async () => {
    sim = createSimFromRunbookDir(RUNBOOKS, { scale: 1200, seed: 11, absorbStalls: false });
    server = await startSimServer({ sim });
  });
  afterAll(async () => {
    await server.close();
    sim.close();
  });

  test('durations, Route 53 propagation and replication lag set over HTTP govern the next operations', async () => {
    const answer = await post({
      rds: { switchoverTotal: [20_000, 20_000], switchoverPending: 2_000, switchoverFinish: [1_000, 1_000] },
      route53: { propagation: [4_000, 4_000] },
      replicationLagMs: { 'payments-usw2': 700 },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.result).toMatchObject({
      rds: { switchoverTotal: [20_000, 20_000], switchoverPending: [2_000, 2_000], detach: [30_000, 90_000] },
      route53: { propagation: [4_000, 4_000] },
    });
    expect(sim.rdsSim.replicationLagMs('payments-usw2')).toBe(700);
    const rds = sim.rds({ region: 'us-east-1', accountId: '111122223333' });
    await rds.switchoverGlobalCluster({ globalClusterIdentifier: 'payments-global', targetDbClusterArn: PAY_USW2 });
    const r53 = sim.route53({ accountId: '111122223333' });
    const zone = loadRunbookByName('payments-prod', RUNBOOKS).route53!;
    const [rec] = await r53.listResourceRecordSets({ hostedZoneId: zone.hostedZoneId, name: zone.recordName });
    await r53.changeResourceRecordSets({
      hostedZoneId: zone.hostedZoneId,
      changes: [{ action: 'UPSERT', recordSet: { ...rec!, ttl: 30 } }],
    });
    await sim.world.clock.sleep(30_000);
    sim.world.advance();
    const at = (service: string, event: string): number => sim.world.log.find({ service, event })[0]!.at;
    expect(at('rds', 'global-promotion-complete') - at('rds', 'global-switchover-requested')).toBe(20_000);
    expect(at('route53', 'change-insync') - at('route53', 'change-submitted')).toBe(4_000);
  });

  test.each([
    [{ rds: { switchoverTotl: [1, 2] } }, /rds duration switchoverTotl: unknown; choose from .*switchoverTotal/],
    [{ rds: { detach: [5, 1] } }, /rds duration detach: expected \[min, max\] simulated ms with 0 ≤ min ≤ max/],
    [{ route53: { propagation: 'fast' } }, /config.route53.propagation: expected \[min, max\]/],
    [{ replicationLagMs: { 'payments-usw2': -1 } }, /config.replicationLagMs.payments-usw2: expected simulated ms ≥ 0/],
    [{ durations: {} }, /config: unknown field durations/],
    [{ fencing: { effect: 'lock' } }, /config.fencing.effect: expected one of none, block-writes, got "lock"/],
    [{ fencing: { duration: [9, 1] } }, /config.fencing.duration: expected \[min, max\]/],
    [{ fencing: { effect: 'none', when: 'now' } }, /config.fencing: unknown field when; expected effect, duration/],
  ])('%j is refused with 400 naming the field, and nothing changes', async (body, message) => {
    const before = await (await fetch(`${server.url}/config`)).json();
    const answer = await post({ rds: { failoverTotal: [1_000, 1_000] }, ...body });
    expect(answer.status).toBe(400);
    expect(answer.json.error!.message).toMatch(message);
    expect(await (await fetch(`${server.url}/config`)).json()).toEqual(before);
  });
});

describe('sim server configuration: the fencing effect (POST /config fencing)', () => {
  let sim: SimAws;
  let server: SimServer;
  const post = (body: unknown): Promise<Response> => fetch(`${server.url}/config`, { method: 'POST', body: JSON.stringify(body) });
  const fence = async (token: string): Promise<number> => {
    const ssm = sim.ssm({ region: 'us-west-2', accountId: '111122223333' });
    const { automationExecutionId } = await ssm.startAutomationExecution({
      documentName: 'gameday-FenceWrites',
      parameters: { ClusterId: ['payments-use1'], Region: ['us-east-1'] },
      clientToken: token,
    });
    for (;;) {
      const x = await ssm.getAutomationExecution(automationExecutionId);
      if (x.status === 'Success') return x.endTime!;
      if (['Failed', 'Cancelled', 'TimedOut'].includes(x.status)) throw new Error(`fence ended ${x.status}`);
      await sim.world.clock.sleep(1_000);
    }
  };
  beforeAll(async () => {
    sim = createSimFromRunbookDir(RUNBOOKS, { scale: 1200, seed: 11, absorbStalls: false });
    server = await startSimServer({ sim });
  });
  afterAll(async () => {
    await server.close();
    sim.close();
  });

  test('by default the fencing document succeeds with no effect; block-writes stops the named cluster taking writes at its end', async () => {
    const inEffect = (await (await fetch(`${server.url}/config`)).json()) as { result: { fencing: unknown } };
    expect(inEffect.result.fencing).toEqual({ effect: 'none', duration: [20_000, 60_000] });
    await fence('00000000-0000-4000-8000-000000000001');
    expect(sim.rdsSim.isWritable('payments-use1')).toBe(true);
    expect(sim.world.log.find({ service: 'rds', event: 'cluster-writes-blocked' })).toEqual([]);

    const answer = await post({ fencing: { effect: 'block-writes', duration: [3_000, 3_000] } });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { result: { fencing: unknown } }).result.fencing).toEqual({
      effect: 'block-writes',
      duration: [3_000, 3_000],
    });
    const endedAt = await fence('00000000-0000-4000-8000-000000000002');
    expect(sim.rdsSim.isWritable('payments-use1')).toBe(false);
    const started = sim.world.log.find({ service: 'ssm', event: 'automation-in-progress' }).at(-1)!.at;
    expect(endedAt - started).toBe(3_000);
    const blocked = sim.world.log.find({ service: 'rds', event: 'cluster-writes-blocked', resource: 'payments-use1' });
    expect(blocked.map((e) => [e.at, e.detail?.reason])).toEqual([[endedAt, 'write fencing automation']]);
    expect(sim.world.log.find({ service: 'rds', event: 'cluster-unwritable', resource: 'payments-use1' }).map((e) => e.at)).toEqual([
      endedAt,
    ]);
  });
});
