/**
 * The `gameday` CLI as users run it: `node bin/gameday.js …` as a child process, against the real
 * dev server and an in-process worker on this file's task queue.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestWorker, type TestWorker } from './helpers/worker';

const ROOT = resolve(__dirname, '..');
const BIN = join(ROOT, 'bin/gameday.js');

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function gameday(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

let w: TestWorker;
let tq: string[];
const dir = mkdtempSync(join(tmpdir(), 'gameday-cli-'));

beforeAll(async () => {
  w = await startTestWorker('cli');
  tq = ['--address', process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', '--task-queue', w.taskQueue];
});
afterAll(async () => {
  await w?.shutdown();
});

describe('gameday validate', () => {
  it('accepts the example runbooks (exit 0)', async () => {
    const r = await gameday(['validate', 'runbooks/payments-prod.yaml', 'runbooks/orders-prod.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok    runbooks/payments-prod.yaml (payments, tier0)');
    expect(r.stdout).toContain('ok    runbooks/orders-prod.yaml (orders, tier1)');
  });

  it('rejects a broken runbook with file:line: path: message (exit 2)', async () => {
    const text = readFileSync(join(ROOT, 'runbooks/payments-prod.yaml'), 'utf8')
      .replace('tier: tier0', 'tier: tier0\nowner: sre')
      .replace('  database: payments', '  database: payments\n  password: hunter2');
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, text);
    const lineOf = (needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const r = await gameday(['validate', file, 'runbooks/orders-prod.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${file}:${lineOf('service: payments')}: (root): unknown field "owner"`);
    expect(r.stdout).toContain(`${file}:${lineOf('password: hunter2')}: canary.password: an inline password is not allowed`);
    expect(r.stdout).toContain('ok    runbooks/orders-prod.yaml');
  });

  it('--json lists every file with its issues', async () => {
    const r = await gameday(['--json', 'validate', 'runbooks/analytics-prod.yaml', join(dir, 'missing.yaml')]);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { file: string; ok: boolean; issues: { message: string }[] }[];
    expect(out.map((f) => f.ok)).toEqual([true, false]);
    expect(out[1]!.issues[0]!.message).toBe('file not found; check the path');
  });

  it('treats usage errors as exit 2', async () => {
    expect((await gameday(['validate'])).code).toBe(2);
    expect((await gameday(['no-such-command'])).code).toBe(2);
    expect((await gameday(['runs', '--limit', 'many'])).code).toBe(2);
  });
});

describe('gameday start / status / runs / abort', () => {
  let workflowId: string;

  it('starts preflightWorkflow for payments-prod and prints the report (exit 0)', async () => {
    workflowId = w.id('cli-preflight-payments');
    const r = await gameday([...tq, 'start', 'preflightWorkflow', '--runbook', 'payments-prod', '--id', workflowId]);
    expect(r.stderr).toContain(`started preflightWorkflow ${workflowId}`);
    expect(r.stdout).toContain('Preflight payments-prod (payments/prod, tier0: RPO 5.00 s, RTO 15 min 00 s)');
    expect(r.stdout).toContain('READY: all');
    expect(r.code).toBe(0);
  });

  it('--json prints the report as JSON; a runbook file is sent as YAML', async () => {
    const r = await gameday([...tq, '--json', 'start', 'preflightWorkflow', '--runbook', 'runbooks/orders-prod.yaml']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { workflowId: string; result: { runbook: string; ready: boolean; checks: unknown[] } };
    expect(out.result.runbook).toBe('orders-prod');
    expect(out.result.ready).toBe(true);
    expect(out.result.checks.length).toBeGreaterThan(3);
  });

  it('exits 1 with the InvalidRunbook message when the workflow rejects the runbook', async () => {
    const r = await gameday([...tq, 'start', 'preflightWorkflow', '--runbook', 'nope-prod']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed: invalid runbook: nope-prod: runbook: no runbook named "nope-prod"/);
  });

  it('exits 2 on a broken runbook file or bad --input before contacting Temporal', async () => {
    const file = join(dir, 'bad-tier.yaml');
    writeFileSync(file, 'service: x\nenvironment: prod\ntier: tier9\n');
    const bad = await gameday(['--address', '127.0.0.1:1', 'start', 'preflightWorkflow', '--runbook', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file}:3: tier:`);
    const json = await gameday(['--address', '127.0.0.1:1', 'start', 'preflightWorkflow', '--input', '{oops']);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('--input: not valid JSON');
  });

  it('status shows a completed run with its result', async () => {
    const r = await gameday([...tq, 'status', workflowId]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${workflowId}  preflightWorkflow  COMPLETED`);
    expect(r.stdout).toContain('GamedayService: payments');
    const j = JSON.parse((await gameday([...tq, '--json', 'status', workflowId])).stdout) as {
      status: string;
      searchAttributes: Record<string, string>;
      result: { ready: boolean };
    };
    expect(j.status).toBe('COMPLETED');
    expect(j.searchAttributes).toMatchObject({
      GamedayService: 'payments',
      GamedayScenario: 'preflight',
      GamedayTier: 'tier0',
      GamedayVerdict: 'pass',
    });
    expect(j.result.ready).toBe(true);
    expect((await gameday([...tq, 'status', 'no-such-workflow-id'])).code).toBe(2);
  });

  it('runs lists the run by its search attributes', async () => {
    // Visibility is eventually consistent: ask until the run is listed (bounded).
    let ids: string[] = [];
    for (let i = 0; i < 40 && !ids.includes(workflowId); i++) {
      const r = await gameday([
        ...tq,
        '--json',
        'runs',
        '--service',
        'payments',
        '--scenario',
        'preflight',
        '--verdict',
        'pass',
        '--limit',
        '50',
      ]);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { query: string; runs: { workflowId: string; service: string }[] };
      expect(out.query).toBe('GamedayService = "payments" AND GamedayScenario = "preflight" AND GamedayVerdict = "pass"');
      expect(out.runs.every((x) => x.service === 'payments')).toBe(true);
      ids = out.runs.map((x) => x.workflowId);
      if (!ids.includes(workflowId)) await new Promise((ok) => setTimeout(ok, 250));
    }
    expect(ids).toContain(workflowId);
  });

  it('abort refuses a run that is not running (exit 2)', async () => {
    const r = await gameday([...tq, 'abort', workflowId]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is COMPLETED, not running: nothing to abort');
  });
});

describe('gameday abort of a running workflow', () => {
  it('sends abortSignal, or cancels with --cancel', async () => {
    // No worker polls this task queue, so the run stays RUNNING.
    const idle = ['--address', process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', '--task-queue', `${w.taskQueue}-idle`];
    const id = w.id('cli-abort');
    const started = await gameday([...idle, 'start', 'preflightWorkflow', '--runbook', 'payments-prod', '--id', id, '--no-wait']);
    expect(started.code).toBe(0);
    expect(started.stdout.trim()).toBe(id);
    const r = await gameday([...idle, 'abort', id, '--reason', 'drill over']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`abort signal sent to ${id} (reason: drill over)`);
    const history = await w.client.workflow.getHandle(id).fetchHistory();
    const signal = history.events?.find((e) => e.workflowExecutionSignaledEventAttributes);
    expect(signal?.workflowExecutionSignaledEventAttributes?.signalName).toBe('abort');
    const c = await gameday([...idle, 'abort', id, '--cancel']);
    expect(c.code).toBe(0);
    const desc = await w.client.workflow.getHandle(id).describe();
    expect(desc.status.name).toBe('RUNNING'); // cancellation is requested; no worker runs it here
    await w.client.workflow.getHandle(id).terminate('test cleanup');
  });
});
