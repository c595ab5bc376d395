/**
 * The issue's example game day from the Temporal Web UI, in real headless Chromium (Debian's
 * `chromium`, driven by playwright-core) against the UI the dev server serves, as a facilitator
 * runs it: Start Workflow with README's type and input (`gameDayWorkflow`, `{"plan":"payments-q4"}`),
 * read in the day's Current Details what it waits for, approve the promotion on the child run the
 * day names and answer each checkpoint through More Actions → Send an Update. The day's one
 * scorecard agrees with the sim's ground truth within the windows its reports state
 * (test/helpers/gameday-truth.ts) and the day leaves nothing behind. Screenshots:
 * test-artifacts/ui-gameday/*.png. Every wait is on a condition; nothing sleeps a fixed time.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PreflightReport } from '../contracts/preflight';
import { statusQuery, type RunStatus } from '../contracts/run';
import type { RunReport } from '../lib/measurement-types';
import type { Scorecard } from '../lib/scorecard';
import { devUiUrl } from '../scripts/temporal-dev';
import { expectNothingLeft, expectScorecardMatchesTruth, truthTable } from './helpers/gameday-truth';
import { startPromotionHarness, type PromotionHarness } from './helpers/promotion-fixture';

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'ui-gameday');
const UI = devUiUrl(process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233');
const NS = process.env.TEMPORAL_NAMESPACE ?? 'default';
/** Generous bounds for a loaded 2-core machine; each is a deadline on a condition, never a sleep. */
const UI_WAIT_MS = 45_000;
const SCALE = 600;

/** What README's game-day section tells a person to type in the Start Workflow form. */
function readmeStart(): { workflowType: string; input: string } {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const m = /Temporal UI's _Start Workflow_: type `(\w+)`, input\s+`(\{[^`]+\})`/.exec(readme);
  if (!m) throw new Error("README.md: the game day's Start Workflow sentence is not where this test reads it");
  return { workflowType: m[1]!, input: m[2]! };
}

let w: PromotionHarness;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  w = await startPromotionHarness('web-ui-gameday', { scale: SCALE });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
  await w?.shutdown();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** Types `text` into the visible CodeMirror "Data" editor, then leaves it by clicking `leaveTo` (see test/web-ui.test.ts). */
async function typeData(page: Page, text: string, leaveTo: string): Promise<void> {
  const editor = page.getByRole('textbox', { name: 'Data' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  await page.locator(leaveTo).click();
}

/** Polls the day's status (the server's word) until `pred` holds or the day ends; fails naming `what` after `ms`. */
async function until(h: WorkflowHandle, pred: (s: RunStatus) => boolean, what: string, ms = 90_000): Promise<RunStatus> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await h.query(statusQuery).catch(() => undefined);
    if (s && (pred(s) || (s.phase !== 'running' && s.phase !== 'undoing'))) return s;
    if (Date.now() > deadline) throw new Error(`day never reached: ${what} (last status: ${JSON.stringify(s)?.slice(0, 400)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens a run's page on its User Metadata tab and returns its Current Details once they contain `text`. */
async function currentDetails(page: Page, workflowId: string, text: string | RegExp): Promise<string> {
  const { runId } = await w.client.workflow.getHandle(workflowId).describe();
  await page.goto(`${UI}/namespaces/${NS}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`);
  await page.getByRole('tab', { name: 'User Metadata' }).click();
  const frame = page.frameLocator('#user-metadata-current-details');
  await frame.getByText(text).first().waitFor({ timeout: UI_WAIT_MS });
  return frame.locator('body').innerText();
}

/** More Actions → Send an Update → `update` with `payload`, on the run page open in `page`. */
async function sendUpdate(page: Page, update: string, payload: unknown, shotName: string): Promise<void> {
  await page.getByRole('button', { name: 'More Actions' }).click();
  await page.getByRole('menuitem', { name: 'Send an Update' }).click();
  await page.getByRole('button', { name: 'Select an Update' }).click();
  await page.getByRole('option', { name: new RegExp(`^${update}`) }).click();
  await typeData(page, JSON.stringify(payload), 'input[name="update-id"]:visible');
  await shot(page, shotName);
  await page.getByRole('button', { name: 'Submit' }).click();
}

type DayData = { checkpoints?: { name: string; state: string }[]; child?: { workflowId: string } };

test('payments-q4 started, approved and answered in the Temporal Web UI; one scorecard that agrees with the ground truth', async () => {
  const t0 = Date.now();
  const start = readmeStart();
  expect(start).toEqual({ workflowType: 'gameDayWorkflow', input: '{"plan":"payments-q4"}' });
  const id = `gameday-q4-ui-${Date.now()}`;
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });

  // 1. Start Workflow form: README's type and input, this test's worker's task queue.
  await page.goto(`${UI}/namespaces/${NS}/workflows/start-workflow`);
  await page.locator('#workflowId').fill(id);
  await page.locator('#taskQueue').fill(w.taskQueue);
  await page.locator('#workflowType').fill(start.workflowType);
  await page.getByText('Task Queue is Active').waitFor({ timeout: UI_WAIT_MS });
  await typeData(page, start.input, '#workflowType');
  await shot(page, '01-start-form');
  await page.getByRole('button', { name: 'Start Workflow' }).click();
  const h = w.client.workflow.getHandle(id);

  // 2. Whatever the day waits for, read it in its Current Details and answer it in the UI.
  const answered: string[] = [];
  for (let i = 0; ; i++) {
    const s = await until(h, (x) => x.awaiting !== undefined, 'a person is awaited');
    if (s.phase !== 'running') break;
    const data = s.data as DayData;
    if (s.awaiting!.updates.includes('approvePromotion')) {
      const details = await currentDetails(page, id, /send it to child run/);
      const child = /send it to child run ([\w-]+)/.exec(details)![1]!;
      expect(child).toBe(data.child?.workflowId);
      await shot(page, `${10 + i}-day-waits-for-approval`);
      expect(details).toContain(`or gameday approve ${child} --by NAME`);
      await currentDetails(page, child, 'Waiting for approval');
      await sendUpdate(page, 'approvePromotion', { by: 'sre-oncall', reason: 'payments Q4 game day' }, `${10 + i}-approve`);
      answered.push(child);
      await until(h, (x) => !x.awaiting?.updates.includes('approvePromotion'), 'the approval taken');
      continue;
    }
    expect(s.awaiting!.updates).toEqual(['answerCheckpoint']);
    const details = await currentDetails(page, id, /answers to/);
    const names = [...details.matchAll(/(?:answers to |; )([\w-]+) \(["“]/g)].map((m) => m[1]!);
    expect(names).toEqual((data.checkpoints ?? []).filter((c) => c.state === 'open').map((c) => c.name));
    expect(details).toContain(`or gameday game-day checkpoint ${id} ${names.length === 1 ? names[0] : `<${names.join(' | ')}>`} --by NAME`);
    await shot(page, `${10 + i}-day-waits-for-${names.join('-')}`);
    for (const name of names) {
      await sendUpdate(
        page,
        'answerCheckpoint',
        { checkpoint: name, by: 'bob', ok: true, note: 'answered in the Web UI' },
        `${10 + i}-${name}`,
      );
      answered.push(name);
      await until(h, (x) => (x.data as DayData).checkpoints?.find((c) => c.name === name)?.state !== 'open', `${name} answered`);
    }
  }
  const sc = (await h.result()) as Scorecard;
  const wallMs = Date.now() - t0;
  expect(answered).toEqual(['alert-paged', 'promote-payments-global', 'runbook-found']);

  // 3. The UI shows the day completed with its verdict.
  const done = await currentDetails(page, id, /Verdict:/);
  expect(done).toContain(
    `Ended completed: Verdict: ${sc.verdict.toUpperCase()} — ${sc.scenarios.map((s) => `${s.id} ${s.verdict}`).join(', ')}`,
  );
  await shot(page, '30-day-completed');

  // 4. One scorecard: every scenario ran, both checkpoints answered in the UI, figures against the ground truth.
  expect([sc.plan, sc.outcome]).toEqual(['payments-q4', 'completed']);
  expect(sc.scenarios.map((s) => [s.id, s.outcome])).toEqual([
    ['preflight', 'completed'],
    ['instance-termination', 'completed'],
    ['az-loss', 'completed'],
    ['region-cut', 'completed'],
    ['region-promotion', 'completed'],
    ['restore-verification', 'completed'],
  ]);
  expect(sc.human.map((x) => [x.checkpoint, x.state, x.by, x.ok, x.note])).toEqual([
    ['alert-paged', 'answered', 'bob', true, 'answered in the Web UI'],
    ['runbook-found', 'answered', 'bob', true, 'answered in the Web UI'],
  ]);
  const reports: Record<string, RunReport | PreflightReport> = {};
  for (const s of sc.scenarios) reports[s.id] = await w.client.workflow.getHandle(s.workflowId!, s.runId!).result();
  const promotion = reports['region-promotion'] as RunReport;
  expect(promotion.details).toMatchObject({ approval: { decision: 'approved', by: 'sre-oncall' }, failback: { status: 'completed' } });
  const checks = expectScorecardMatchesTruth(sc, reports, w.sim);
  expect(checks).toHaveLength(16);
  expectNothingLeft(
    w.sim,
    sc.scenarios.map((s) => s.workflowId!),
  );
  await page.close();
  process.stdout.write(
    `payments-q4 from the Web UI: ${wallMs} ms wall, verdict ${sc.verdict} (${sc.scenarios.map((s) => `${s.id} ${s.verdict}`).join(', ')}), sim at ${SCALE}×\n${truthTable(checks)}\n`,
  );
}, 240_000);
