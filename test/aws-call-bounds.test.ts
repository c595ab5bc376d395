/**
 * AWS calls are bounded (issue 11, item 5): against a TCP server that accepts connections and
 * never answers, an SDK call fails within the client's request timeout, and an activity's
 * cancellation reaches the SDK request at once (measured, wall clock `performance.now()`), for
 * the current clients and the pinned FIS client alike. Local and configuration errors are
 * classified non-retryable, and a restore request with neither time option is refused before
 * anything is sent.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createSdkAwsClients } from '../activities/aws/client-factory';
import { classifyAwsError, toApplicationFailure, withAwsErrors } from '../activities/aws/errors';
import { parseDbCredentials } from '../activities/aws/secrets-adapter';
import type { AwsClients } from '../activities/aws/ports';

let server: Server;
let port: number;
const sockets = new Set<Socket>();
let connections = 0;

beforeAll(async () => {
  server = createServer((s) => {
    connections++;
    sockets.add(s); // accepted, never answered
    s.on('close', () => sockets.delete(s));
    s.on('error', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const credentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' });

function clients(requestTimeout: number): AwsClients {
  return createSdkAwsClients({
    endpoint: `http://127.0.0.1:${port}`,
    credentials,
    maxAttempts: 1,
    timeouts: { connectionTimeout: 1_000, requestTimeout },
  });
}

const target = { region: 'us-east-1', accountId: '111122223333' };

/** Every call under test, on a current client and on the pinned FIS client. */
const calls: [string, (aws: AwsClients) => Promise<unknown>][] = [
  ['rds.describeDbCluster', (aws) => aws.rds(target).describeDbCluster('payments-use1')],
  ['fis.getExperiment (pinned client 3.523.0)', (aws) => aws.fis(target).getExperiment('EXP123')],
  ['ssm.getParameter', (aws) => aws.ssm(target).getParameter('/payments/prod/db-region')],
];

describe.each(calls)('%s against an endpoint that never answers', (_name, call) => {
  it('fails within the request timeout as a retryable timeout', async () => {
    const started = performance.now();
    const err = await withAwsErrors(() => call(clients(1_500))).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(false);
    expect((err as ApplicationFailure).message).toMatch(/timeout|timed out|socket hang up/i);
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
    expect(elapsed).toBeLessThan(5_000);
    process.stdout.write(`${_name}: request timeout 1500 ms → failed after ${elapsed.toFixed(0)} ms (wall, performance.now)\n`);
  });

  it("stops at once when the activity is cancelled (the activity's signal reaches the SDK)", async () => {
    const aws = clients(60_000);
    const env = new MockActivityEnvironment();
    const before = connections;
    const run = env.run(() => call(aws)).catch((e: unknown) => e);
    while (connections === before) await new Promise((r) => setTimeout(r, 10)); // the request is on the wire
    const cancelledAt = performance.now();
    env.cancel();
    const err = await run;
    const elapsed = performance.now() - cancelledAt;
    expect((err as Error).name).toMatch(/AbortError|CancelledFailure/);
    expect(elapsed).toBeLessThan(500);
    process.stdout.write(`${_name}: cancel → SDK call rejected after ${elapsed.toFixed(1)} ms (wall, performance.now)\n`);
  });
});

describe('local and configuration errors are not retried', () => {
  it('a secret that is not JSON is non-retryable and its text never quoted', () => {
    let thrown: unknown;
    try {
      parseDbCredentials('arn:aws:secretsmanager:us-east-1:111122223333:secret:x', '{"password": hunter2');
    } catch (err) {
      thrown = err;
    }
    const f = toApplicationFailure(thrown);
    expect(f.nonRetryable).toBe(true);
    expect(f.type).toBe('SecretFormatError');
    expect(f.message).not.toMatch(/hunter2/);
  });

  it('a restore request with neither time option is refused before anything is sent', async () => {
    const before = connections;
    const err = await withAwsErrors(() =>
      clients(1_500)
        .rds(target)
        .restoreDbClusterToPointInTime({ sourceDbClusterIdentifier: 'payments-use1', dbClusterIdentifier: 'gameday-restore-1', tags: {} }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    expect((err as ApplicationFailure).message).toMatch(/exactly one of restoreToTime or useLatestRestorableTime/);
    expect(connections).toBe(before);
  });

  it.each([
    ['SyntaxError', new SyntaxError('Unexpected token')],
    ['ZodError', Object.assign(new Error('bad'), { name: 'ZodError' })],
    ['RunbookValidationError', Object.assign(new Error('bad'), { name: 'RunbookValidationError' })],
    ['InvalidRequestError', Object.assign(new Error('bad'), { name: 'InvalidRequestError' })],
  ])('%s is classified local, non-retryable', (_n, err) => {
    expect(classifyAwsError(err)).toMatchObject({ retryable: false, category: 'local' });
  });

  it('a network error stays retryable', () => {
    expect(classifyAwsError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })).retryable).toBe(true);
  });
});
