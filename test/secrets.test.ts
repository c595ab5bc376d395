/**
 * Secrets never in input or history (issue 11, item 2):
 * - the runbook schema refuses credential-like content anywhere (keys of any map, URL user-info,
 *   AWS keys, connection strings, SQL, private keys, tokens), naming the field and the fix and never
 *   echoing the value;
 * - on the real Temporal server, histories fetched raw (no codec): a canary run against real
 *   PostgreSQL holds no trace of the database password it read from Secrets Manager, with and
 *   without the payload codec; with the codec (GAMEDAY_PAYLOAD_KEY) every payload is encrypted
 *   (a control run without it shows the scan finds plaintext), and a runbook carrying a password
 *   is refused before any AWS call with nothing of it readable in history;
 * - the codec server round-trips payloads, answers the Web UI's CORS preflight, and decodes what
 *   the worker wrote; `npm run codec-server` starts it from the environment.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { AwsClients } from '../activities/aws/ports';
import { createSqlCanaryConnector } from '../activities/canary/sql-connector';
import type { ActivityDeps } from '../activities/deps';
import { createCodecServer } from '../lib/codec-server';
import { realClock } from '../lib/clock';
import { createLogger } from '../lib/logger';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, loadPayloadCodec } from '../lib/payload-codec';
import { loadTemporalConnection } from '../lib/temporal-connection';
import { DEFAULT_RUNBOOK_DIR, parseRunbook, RunbookValidationError } from '../runbooks/load';
import { preflightWorkflow } from '../workflows';
import { canaryProbeWorkflow, stopCanarySignal } from './helpers/canary-workflows';
import { startPostgres, testSecrets, type TestDatabase } from './helpers/databases';
import { connectWorker, startTestWorker, type TestWorker } from './helpers/worker';
import { AWS_CALL_COUNT_HEADER } from '../lib/aws-call-count';

const PAYMENTS = readFileSync(join(DEFAULT_RUNBOOK_DIR, 'payments-prod.yaml'), 'utf8');
const KEY = randomBytes(32).toString('base64');
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:gameday/secrets-test-AbC123';

describe('schema: credential-like content is refused anywhere, by field path, without echoing it', () => {
  const automation = (params: string) =>
    PAYMENTS.replace(
      /appReconfiguration:\n( {2}.*\n)+/,
      `appReconfiguration:\n  kind: ssm-automation\n  documentName: gameday-Point\n  parameters: ${params}\n`,
    );
  const cases: [string, string, string, string][] = [
    [
      'a key named like a credential in a free-form map',
      'appReconfiguration.parameters.DbPassword',
      'S3cr3t-pw-1',
      automation('{ DbPassword: ["S3cr3t-pw-1"] }'),
    ],
    ['an api key in a map', 'appReconfiguration.parameters.api_key', 'k-77aa88bb99', automation('{ api_key: ["k-77aa88bb99"] }')],
    [
      'URL user-info',
      'appReconfiguration.parameters.Url.0',
      'hunter2pw',
      automation('{ Url: ["postgres://app:hunter2pw@db.internal:5432/app"] }'),
    ],
    [
      'an AWS access key id',
      'blastRadius.requiredTags.owner',
      'AKIAABCDEFGHIJKLMNOP',
      PAYMENTS.replace('gameday: allowed', 'gameday: allowed\n    owner: AKIAABCDEFGHIJKLMNOP'),
    ],
    [
      'an AWS secret access key',
      'fis.targetTag.value',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      PAYMENTS.replace(
        'targetTag: { key: gameday, value: allowed }',
        'targetTag: { key: gameday, value: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }',
      ),
    ],
    [
      'a connection string with a password',
      'canary.endpoint',
      'pw0rd99',
      PAYMENTS.replace(/endpoint: .*/, 'endpoint: "Server=db;Database=app;User Id=app;Password=pw0rd99;"'),
    ],
    [
      'SQL with a password',
      'restore.checks.0.sql',
      'letmein77',
      PAYMENTS.replace('sql: select count(*) from gameday_canary', `sql: "alter user app with password 'letmein77'"`),
    ],
    [
      'an inline canary password',
      'canary.password',
      'plainpw55',
      PAYMENTS.replace('  database: payments', '  database: payments\n  password: plainpw55'),
    ],
    [
      'a bearer token',
      'approval.approvers.0',
      'abcdefghijklmnop123456',
      PAYMENTS.replace('approvers: [sre-oncall]', 'approvers: ["Bearer abcdefghijklmnop123456"]'),
    ],
    [
      'a private key',
      'writeFencing.documentName',
      'MIIEvQIBADAN',
      PAYMENTS.replace('documentName: gameday-FenceWrites', 'documentName: "-----BEGIN PRIVATE KEY-----MIIEvQIBADAN"'),
    ],
  ];
  test.each(cases)('%s (%s)', (_what, path, value, yaml) => {
    expect(yaml).not.toBe(PAYMENTS);
    let err: unknown;
    try {
      parseRunbook(yaml, 'rb.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunbookValidationError);
    const issue = (err as RunbookValidationError).issues.find((i) => i.path === path);
    expect(issue?.message).toMatch(
      /^(looks like a credential \(.+\): |an inline password is not allowed: ).*(reference it by ARN|set canary\.secretArn)/,
    );
    expect((err as Error).message).not.toContain(value);
  });

  test('references to secrets are fine: the example runbooks validate', () => {
    expect(() => parseRunbook(PAYMENTS)).not.toThrow();
    expect(() =>
      parseRunbook(automation('{ DbPasswordSecret: ["arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf"] }')),
    ).not.toThrow();
  });
});

/** Every event of a run's history, fetched raw (no codec) from the server, and its protobuf bytes. */
async function rawHistory(workflowId: string): Promise<{ bytes: Buffer; history: temporal.api.history.v1.IHistory }> {
  const settings = loadTemporalConnection();
  const connection = await Connection.connect(settings.options);
  try {
    const raw = new Client({ connection, namespace: settings.namespace });
    const events: temporal.api.history.v1.IHistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await raw.workflowService.getWorkflowExecutionHistory({
        namespace: settings.namespace,
        execution: { workflowId },
        ...(nextPageToken ? { nextPageToken } : {}),
      });
      events.push(...(page.history?.events ?? []));
      nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
    } while (nextPageToken);
    const history = { events };
    return { history, bytes: Buffer.from(temporal.api.history.v1.History.encode(history).finish()) };
  } finally {
    await connection.close();
  }
}

/** Every payload in `value` (objects with `metadata` and `data`) outside search attributes, with its path. */
function payloadsOf(value: unknown, path = ''): { path: string; encoding: string; data?: string }[] {
  if (!value || typeof value !== 'object') return [];
  if (ArrayBuffer.isView(value)) return [];
  const o = value as Record<string, unknown>;
  if ('metadata' in o && 'data' in o && o.metadata && typeof o.metadata === 'object') {
    const enc = (o.metadata as Record<string, Uint8Array>).encoding;
    const encoding = enc ? Buffer.from(enc).toString() : '(none)';
    const data = encoding === 'json/plain' && o.data instanceof Uint8Array ? Buffer.from(o.data).toString() : undefined;
    return [{ path, encoding, ...(data !== undefined ? { data } : {}) }];
  }
  return Object.entries(o).flatMap(([k, v]) => (k === 'searchAttributes' ? [] : payloadsOf(v, `${path}.${k}`)));
}

describe('workflow history on the real Temporal server', () => {
  let plain: TestWorker;
  let encrypted: TestWorker;
  beforeAll(async () => {
    plain = await startTestWorker('secrets-plain');
    process.env.GAMEDAY_PAYLOAD_KEY = KEY; // the worker and its client both read it at construction
    process.env.GAMEDAY_PAYLOAD_KEY_ID = 'test-key';
    try {
      encrypted = await startTestWorker('secrets-codec');
    } finally {
      delete process.env.GAMEDAY_PAYLOAD_KEY;
      delete process.env.GAMEDAY_PAYLOAD_KEY_ID;
    }
  });
  afterAll(async () => {
    await plain?.shutdown();
    await encrypted?.shutdown();
  });

  const markedRunbook = (marker: string) => PAYMENTS.replace('environment: prod', `environment: prod-${marker}`);

  test('without the codec a plaintext marker in the input is found in raw history (the scan works)', async () => {
    const marker = `m${randomUUID().slice(0, 8)}`;
    const workflowId = plain.id('plain');
    const r = await plain.client.workflow.execute(preflightWorkflow, {
      taskQueue: plain.taskQueue,
      workflowId,
      args: [{ runbook: 'payments-prod', runbookYaml: markedRunbook(marker) }],
    });
    expect(r.ready).toBe(true);
    const { bytes, history } = await rawHistory(workflowId);
    expect(bytes.includes(marker)).toBe(true);
    expect(payloadsOf(history).some((p) => p.encoding === 'json/plain')).toBe(true);
  });

  test('with the codec every payload is encrypted and nothing of the input is readable; the client decodes', async () => {
    const marker = `m${randomUUID().slice(0, 8)}`;
    const workflowId = encrypted.id('codec');
    const r = await encrypted.client.workflow.execute(preflightWorkflow, {
      taskQueue: encrypted.taskQueue,
      workflowId,
      args: [{ runbook: 'payments-prod', runbookYaml: markedRunbook(marker) }],
    });
    expect(r.ready).toBe(true);
    expect(r.runbook).toBe('payments-prod');
    const { bytes, history } = await rawHistory(workflowId);
    expect(bytes.includes(marker)).toBe(false);
    expect(bytes.includes('payments-global')).toBe(false); // runbook content, activity inputs and results
    const payloads = payloadsOf(history);
    expect(payloads.length).toBeGreaterThan(5);
    // Temporal passes no header through the payload codec. The one header gameday sets is the
    // workflow's request for an activity's AWS call count: the constant 1, never anything of the
    // input. Any other plain payload, or that header holding anything else, fails here.
    const countRequest = (p: { path: string; data?: string }) =>
      p.path.endsWith(`.header.fields.${AWS_CALL_COUNT_HEADER}`) && p.data === '1';
    expect(payloads.filter((p) => p.encoding !== ENCRYPTED_ENCODING && !countRequest(p))).toEqual([]);
  });

  test('a runbook carrying a password is refused before any AWS call; with the codec nothing of it is in history', async () => {
    const password = `pw-${randomUUID()}`;
    const yaml = PAYMENTS.replace(
      /appReconfiguration:\n( {2}.*\n)+/,
      `appReconfiguration:\n  kind: ssm-automation\n  documentName: gameday-Point\n  parameters: { DbPassword: ["${password}"] }\n`,
    );
    const calls = encrypted.sim.world.apiCalls.length;
    const workflowId = encrypted.id('codec-pw');
    const t0 = performance.now();
    const err = await encrypted.client.workflow
      .execute(preflightWorkflow, { taskQueue: encrypted.taskQueue, workflowId, args: [{ runbook: 'payments-prod', runbookYaml: yaml }] })
      .catch((e: unknown) => e);
    const ms = performance.now() - t0;
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as Error & { type?: string; nonRetryable?: boolean };
    expect(cause).toMatchObject({ type: 'InvalidRunbook', nonRetryable: true });
    expect(cause.message).toMatch(/appReconfiguration\.parameters\.DbPassword: looks like a credential \(a key named like a credential\)/);
    expect(cause.message).not.toContain(password);
    expect(encrypted.sim.world.apiCalls.slice(calls)).toEqual([]);
    const { bytes } = await rawHistory(workflowId);
    expect(bytes.includes(password)).toBe(false);
    process.stdout.write(
      `refusal "password in appReconfiguration.parameters": ${ms.toFixed(0)} ms (wall clock, performance.now), 0 AWS calls\n`,
    );
  });

  test('the codec server decodes what the worker wrote, round-trips, and answers the Web UI CORS preflight', async () => {
    const codec = new AesGcmPayloadCodec(new Map([['test-key', Buffer.from(KEY, 'base64')]]), 'test-key');
    const server = createCodecServer(codec, { corsOrigins: ['http://localhost:8233'], token: 'tkn' });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (path: string, body: unknown, headers: Record<string, string> = { Authorization: 'Bearer tkn' }) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
        body: JSON.stringify(body),
      });
    try {
      const workflowId = encrypted.id('codec-server');
      await encrypted.client.workflow.execute(preflightWorkflow, {
        taskQueue: encrypted.taskQueue,
        workflowId,
        args: [{ runbook: 'orders-prod' }],
      });
      const { history } = await rawHistory(workflowId);
      const started = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
      const asJson = {
        metadata: Object.fromEntries(Object.entries(started.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
        data: Buffer.from(started.data!).toString('base64'),
      };
      const decoded = (await (await post('/decode', { payloads: [asJson] })).json()) as {
        payloads: { metadata: Record<string, string>; data: string }[];
      };
      expect(Buffer.from(decoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
      expect(JSON.parse(Buffer.from(decoded.payloads[0]!.data, 'base64').toString())).toEqual({ runbook: 'orders-prod' });

      const original = {
        metadata: { encoding: Buffer.from('json/plain').toString('base64') },
        data: Buffer.from('{"a":1}').toString('base64'),
      };
      const enc = (await (await post('/encode', { payloads: [original] })).json()) as { payloads: unknown[] };
      expect(JSON.stringify(enc)).not.toContain(original.data);
      const back = (await (await post('/decode', enc)).json()) as { payloads: unknown[] };
      expect(back.payloads).toEqual([original]);

      expect((await post('/decode', enc, {})).status).toBe(401);
      const preflight = await fetch(`${base}/decode`, {
        method: 'OPTIONS',
        headers: {
          Origin: 'http://localhost:8233',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type,x-namespace',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/);
      const other = await fetch(`${base}/decode`, { method: 'OPTIONS', headers: { Origin: 'http://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      server.close();
    }
  });
});

describe('the canary password read from Secrets Manager never reaches history (real PostgreSQL)', () => {
  let db: TestDatabase;
  let runbookDir: string;
  beforeAll(async () => {
    db = await startPostgres();
    runbookDir = mkdtempSync(join(tmpdir(), 'gameday-secrets-'));
    writeFileSync(
      join(runbookDir, 'canary-test.yaml'),
      [
        'service: canarytest',
        'environment: test',
        'tier: tier0',
        'account: "111122223333"',
        'blastRadius: { accounts: ["111122223333"], regions: [us-east-1] }',
        'aurora: { engine: postgres, primaryRegion: us-east-1, members: [{ region: us-east-1, clusterId: canary-use1 }] }',
        `canary: { endpoint: 127.0.0.1, port: ${db.port}, database: ${db.database}, secretArn: "${SECRET_ARN}", ratePerSecond: 20 }`,
      ].join('\n'),
    );
  }, 180_000);
  afterAll(async () => {
    await db?.destroy();
    if (runbookDir) rmSync(runbookDir, { recursive: true, force: true });
  });

  test.each([
    ['without the codec', undefined],
    ['with the codec', KEY],
  ])('%s', async (_how, key) => {
    const aws = { mode: 'real', secrets: () => testSecrets({ [SECRET_ARN]: db.credentials }) } as unknown as AwsClients;
    const deps: ActivityDeps = {
      aws,
      clock: realClock,
      logger: createLogger({ level: 'warn' }),
      runbookDir,
      canary: createSqlCanaryConnector(aws),
    };
    if (key) process.env.GAMEDAY_PAYLOAD_KEY = key;
    let worker: Awaited<ReturnType<typeof connectWorker>>;
    try {
      expect(loadPayloadCodec() !== undefined).toBe(key !== undefined);
      worker = await connectWorker('secrets-canary', {
        deps,
        workflows: { workflowsPath: require.resolve('./helpers/canary-workflows') },
        shutdownGraceTime: '5s',
      });
    } finally {
      delete process.env.GAMEDAY_PAYLOAD_KEY;
    }
    try {
      const workflowId = `secrets-canary-${randomUUID().slice(0, 8)}`;
      const handle = await worker.client.workflow.start(canaryProbeWorkflow, {
        taskQueue: worker.taskQueue,
        workflowId,
        args: [{ runbook: 'canary-test', runId: workflowId, readEndpoint: '127.0.0.1' }],
      });
      for (;;) {
        const rows = (await db.exec(`SELECT count(*) AS n FROM gameday_canary WHERE run_id = '${workflowId}'`).catch(() => [{ n: 0 }])) as {
          n: number;
        }[];
        if (Number(rows[0]!.n) >= 10) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await handle.signal(stopCanarySignal);
      const out = await handle.result();
      expect(out.writer.acked.length).toBeGreaterThanOrEqual(10); // the activity really logged in with the secret
      const { bytes } = await rawHistory(workflowId);
      expect(db.credentials.password.length).toBeGreaterThan(3);
      expect(bytes.includes(db.credentials.password)).toBe(false);
      // The scan reads payloads: the input's JSON is plain without the codec, unreadable with it.
      expect(bytes.includes(`"runId":"${workflowId}"`)).toBe(key === undefined);
    } finally {
      await worker.stop();
    }
  });
});

test('npm run codec-server starts from the environment and refuses to start without a key', async () => {
  const run = (env: Record<string, string>) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      // One process (node --import tsx, as `npm run codec-server` starts it), so SIGTERM reaches the server.
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/codec-server.ts'], {
        cwd: join(__dirname, '..'),
        env: { ...process.env, ...env },
      });
      let out = '';
      const onData = (d: Buffer) => {
        out += d.toString();
        if (out.includes('codec server on')) child.kill('SIGTERM');
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('close', (code) => resolve({ code, out }));
    });
  const noKey = await run({ GAMEDAY_PAYLOAD_KEY: '' });
  expect(noKey.code).toBe(2);
  expect(noKey.out).toMatch(/codec-server: GAMEDAY_PAYLOAD_KEY is not set/);
  const ok = await run({ GAMEDAY_PAYLOAD_KEY: KEY, GAMEDAY_PAYLOAD_KEY_ID: 'test-key', GAMEDAY_CODEC_PORT: '0' });
  expect(ok.out).toMatch(/codec server on http:\/\/127\.0\.0\.1:\d+ \(key id test-key; CORS for http:\/\/localhost:8233/);
  expect(ok.out).not.toContain(KEY);
}, 60_000);
