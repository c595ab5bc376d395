/**
 * The Temporal Web UI as a person uses it, in real headless Chromium (Debian's `chromium`, driven
 * by playwright-core) against the UI the dev server serves: start a region promotion from the
 * Start Workflow form with README's input, see the approval wait in the run's Current Details,
 * approve through More Actions → Send an Update with README's update name and payload, and read
 * the verdict. The workflow id, input, update name and payload are read from README's UI section,
 * so README cannot drift from what works. Screenshots: test-artifacts/ui/*.png.
 *
 * Every wait is on a condition (an element, a workflow state); nothing sleeps a fixed time.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { chromium, type Browser, type Page } from 'playwright-core';
import { statusQuery, type RunStatus } from '../contracts/run';
import type { RunReport } from '../lib/measurement-types';
import { devUiUrl } from '../scripts/temporal-dev';
import { verdictOf } from '../workflows/kit';
import { startPromotionHarness, type PromotionHarness } from './helpers/promotion-fixture';

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'ui');
const UI = devUiUrl(process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233');
const NS = process.env.TEMPORAL_NAMESPACE ?? 'default';
/** Generous bounds for a loaded 2-core machine; each is a deadline on a condition, never a sleep. */
const UI_WAIT_MS = 45_000;

/** What README's UI section tells a person to type (README.md, "Region promotion"). */
function readmeUiSection(): { workflowId: string; workflowType: string; input: string; update: string; payload: string } {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const section =
    /Temporal UI: workflow type `(\w+)`, \*\*workflow ID `([\w-]+)`\*\*[\s\S]*?input\s+`(\{[^`]+\})`[\s\S]*?\*\*Send an Update\*\* → `(\w+)`[\s\S]*?with `(\{[^`]+\})`/.exec(
      readme,
    );
  if (!section) throw new Error("README.md: the region promotion's Temporal UI paragraph is not where this test reads it");
  const [, workflowType, workflowId, input, update, payload] = section;
  return { workflowType: workflowType!, workflowId: workflowId!, input: input!, update: update!, payload: payload! };
}

let w: PromotionHarness;
let browser: Browser;
const readme = readmeUiSection();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  w = await startPromotionHarness('web-ui', { scale: 120 });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] });
});

afterAll(async () => {
  try {
    await w?.client.workflow.getHandle(readme.workflowId).terminate('web-ui test cleanup');
  } catch {
    // not running: nothing to terminate
  }
  await browser?.close();
  await w?.shutdown();
});

/** Polls `pred` on the run's status until it holds, or fails naming `what` after `ms`. */
async function untilStatus(h: WorkflowHandle, pred: (s: RunStatus) => boolean, what: string, ms = UI_WAIT_MS): Promise<RunStatus> {
  const until = Date.now() + ms;
  for (;;) {
    const s = await h.query(statusQuery).catch(() => undefined);
    if (s && pred(s)) return s;
    if (Date.now() > until) throw new Error(`run never reached: ${what} (last status: ${JSON.stringify(s)?.slice(0, 400)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/**
 * Types `text` into the visible CodeMirror "Data" editor (start form or update dialog), replacing
 * what is there, then leaves it by clicking `leaveTo`: the editor re-formats the JSON when it loses
 * focus, which moves the buttons below it, so a click on one straight from the editor would miss.
 */
async function typeData(page: Page, text: string, leaveTo: string): Promise<void> {
  const editor = page.getByRole('textbox', { name: 'Data' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  await page.locator(leaveTo).click();
}

/** The run page's Current Details (rendered by the UI in an iframe), waiting until it contains `text`. */
async function currentDetailsWith(page: Page, text: string | RegExp): Promise<string> {
  const frame = page.frameLocator('#user-metadata-current-details');
  await frame.getByText(text).first().waitFor({ timeout: UI_WAIT_MS });
  return frame.locator('body').innerText();
}

test("a promotion started, watched and approved in the Temporal Web UI, by README's words", async () => {
  const t0 = Date.now();
  // A run left over from an interrupted earlier test would refuse the start (the id is the guard).
  await w.client.workflow
    .getHandle(readme.workflowId)
    .terminate('left over from an interrupted test')
    .catch(() => undefined);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });

  // 1. Start Workflow form, README's id, type and input (task queue: this test's worker).
  await page.goto(`${UI}/namespaces/${NS}/workflows/start-workflow`);
  await page.locator('#workflowId').fill(readme.workflowId);
  await page.locator('#taskQueue').fill(w.taskQueue);
  await page.locator('#workflowType').fill(readme.workflowType);
  await page.getByText('Task Queue is Active').waitFor({ timeout: UI_WAIT_MS }); // the UI sees our worker
  await typeData(page, readme.input, '#workflowType');
  await shot(page, '01-start-form');
  await page.getByRole('button', { name: 'Start Workflow' }).click();

  // The run exists and waits for approval (the server's word), then the UI must say so.
  const h = w.client.workflow.getHandle(readme.workflowId);
  await untilStatus(h, (s) => s.awaiting !== undefined, 'waiting for approval');
  const { runId } = await h.describe();
  await shot(page, '02-started');

  // 2. The run page, User Metadata tab: Current Details say who must approve and how.
  await page.goto(`${UI}/namespaces/${NS}/workflows`);
  await page.getByRole('link', { name: readme.workflowId }).first().click();
  await page.getByRole('tab', { name: 'User Metadata' }).click();
  const waiting = await currentDetailsWith(page, 'Waiting for approval');
  expect(waiting).toMatch(/Waiting for approval of the switchover of payments-global to us-west-2 by sre-oncall/);
  expect(waiting).toContain(`More Actions → Send an Update → ${readme.update}`);
  expect(waiting).toMatch(/RTO budget left: \d/);
  expect(page.url()).toContain(runId);
  await shot(page, '03-waiting-for-approval');

  // The names README gives: the queries `status` and `report`, the signal `abort`, each described.
  await page.getByRole('tab', { name: 'Queries' }).click();
  await page.locator('[data-testid="query-select-button"]:visible').click();
  for (const q of ['status', 'report']) await page.getByRole('option', { name: new RegExp(`^${q}\\b`) }).waitFor({ timeout: UI_WAIT_MS });
  expect(await page.getByRole('option', { name: /^status\b/ }).innerText()).toMatch(/Live status: current step/);
  await shot(page, '04-queries');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'More Actions' }).click();
  await page.getByRole('menuitem', { name: 'Send a Signal' }).click();
  await page.locator('[data-testid="signal-select-button"]:visible').click();
  expect(await page.getByRole('option', { name: /^abort\b/ }).innerText()).toMatch(/Stops the run and cleans up/);
  await shot(page, '05-signals');
  await page.locator('[data-testid="cancel-modal-button"]:visible').click();

  // 3. More Actions → Send an Update: the update is listed with its description; README's payload.
  await page.getByRole('button', { name: 'More Actions' }).click();
  await page.getByRole('menuitem', { name: 'Send an Update' }).click();
  await page.getByRole('button', { name: 'Select an Update' }).click();
  const option = page.getByRole('option', { name: new RegExp(`^${readme.update}`) });
  expect(await option.innerText()).toMatch(/Approves the run waiting at its approval gate/);
  await shot(page, '06-update-list');
  await option.click();
  await typeData(page, readme.payload, 'input[name="update-id"]:visible');
  await shot(page, '07-update-filled');
  await page.getByRole('button', { name: 'Submit' }).click();

  // 4. The run completes; the UI shows the verdict (Current Details) and the Gameday search attributes.
  const report = (await h.result()) as RunReport;
  expect(report.outcome).toBe('completed');
  expect(report.details).toMatchObject({ approval: expect.objectContaining({ decision: 'approved', by: 'sre-oncall' }) });
  const verdict = verdictOf(report);
  await page.reload();
  await page
    .getByTestId('execution-status')
    .filter({ hasText: /completed/i })
    .first()
    .waitFor({ timeout: UI_WAIT_MS });
  await page.getByRole('tab', { name: 'User Metadata' }).click();
  const done = await currentDetailsWith(page, /Verdict:/);
  expect(done).toContain(`Verdict: ${verdict.toUpperCase()}`);
  expect(done).toMatch(/RTO \d[\w ]* against 15 min 00 s/);
  await shot(page, '08-completed-verdict');
  await page.getByRole('tab', { name: 'Search Attributes' }).click();
  await page.getByText('GamedayVerdict').first().waitFor({ timeout: UI_WAIT_MS });
  expect(await page.locator('main').innerText()).toMatch(new RegExp(`"GamedayVerdict":\\s*"${verdict}"`));
  await shot(page, '09-search-attributes');
  await page.close();
  process.stdout.write(`web-ui test: ${Date.now() - t0} ms wall from opening the form to reading the verdict\n`);
}, 240_000);
