/**
 * Reports: the HTML page rendered in real headless Chromium (screenshot saved under .data/), the
 * Markdown, and the JSON round trip through the zod schema.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { renderHtml, renderJson, renderMarkdown, parseReportJson, InvalidReportError } from '../lib/report';
import { reportClock } from '../lib/report-clock';
import { sampleReport } from './helpers/sample-report';

const OUT = join(__dirname, '..', '.data', 'report-html');
let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--headless'],
  });
});

afterAll(async () => {
  await browser?.close();
});

test('HTML report shows phases, figures, verdicts and a chart with bars, offline', async () => {
  const report = sampleReport({ rpoLost: 8 });
  const html = renderHtml(report);
  expect(html).not.toMatch(/<script|<link|src=|url\(/i); // self-contained: no external asset
  const page = await browser.newPage({ viewport: { width: 1040, height: 900 } });
  const requests: string[] = [];
  page.on('request', (r) => void (r.url().startsWith('data:') || r.url() === 'about:blank' || requests.push(r.url())));
  await page.setContent(html, { waitUntil: 'load' });
  await page.screenshot({ path: join(OUT, 'report-pass.png'), fullPage: true });
  expect(requests).toEqual([]);

  const text = await page.innerText('body');
  for (const phase of ['detect', 'decide', 'promote', 'traffic', 'app']) expect(text).toContain(phase);
  expect(await page.innerText('#verdict')).toBe('Verdict: PASS');
  // RTO 334 s against 15 min, RPO (8 lost at 10/s) 800 ms against 5 s.
  const rto = page.locator('tr[data-figure="RTO"]');
  expect(await rto.innerText()).toMatch(/5 min 34 s\s+15 min 00 s\s+\+9 min 26 s\s+PASS/);
  const rpo = page.locator('tr[data-figure="RPO"]');
  expect(await rpo.innerText()).toMatch(/800 ms\s+5.00 s\s+\+4.20 s\s+PASS/);
  expect(text).toContain('Lost canary writes: 8');
  expect(text).toMatch(/canary at 10 writes\/s/);
  expect(text).toMatch(/polled every 250 ms/);

  const bars = page.locator('svg.timeline-chart rect.phase-bar');
  expect(await bars.count()).toBe(5);
  const phasesInChart = await bars.evaluateAll((els) => els.map((e) => e.getAttribute('data-phase')));
  expect(phasesInChart).toEqual(['detect', 'decide', 'promote', 'traffic', 'app']);
  const widths = await bars.evaluateAll((els) => els.map((e) => (e as unknown as { getBBox(): { width: number } }).getBBox().width));
  for (const w of widths) expect(w).toBeGreaterThan(0);
  expect(await page.locator('svg.timeline-chart rect.rto-bar').count()).toBe(1);
  expect(await page.locator('svg.timeline-chart line.budget-line').count()).toBe(1);
  expect(await page.locator('svg.rpo-chart rect.rpo-bar').count()).toBe(1);
  expect(await page.locator('svg.rpo-chart .rpo-predicted').count()).toBe(1);
  await page.close();
});

test('HTML report says "not measured: reason" and never shows the target as a result', async () => {
  const report = sampleReport({ canary: false });
  const page = await browser.newPage({ viewport: { width: 1040, height: 900 } });
  await page.setContent(renderHtml(report), { waitUntil: 'load' });
  await page.screenshot({ path: join(OUT, 'report-not-measured.png'), fullPage: true });
  expect(await page.innerText('#verdict')).toBe('Verdict: NOT MEASURED');
  const rpo = page.locator('tr[data-figure="RPO"]');
  expect(await rpo.getAttribute('data-status')).toBe('not-measured');
  expect(await rpo.innerText()).toMatch(/not measured: canary endpoint unreachable before the fault: ECONNREFUSED/);
  expect(await page.locator('svg.rpo-chart').count()).toBe(0);
  expect(await page.innerText('.rpo-not-measured')).toMatch(/RPO not measured: canary endpoint unreachable/);
  await page.close();
});

test('a failing RPO renders FAIL with a negative margin', async () => {
  const report = sampleReport({ rpoLost: 80 }); // 8 s lost vs 5 s
  const page = await browser.newPage();
  await page.setContent(renderHtml(report), { waitUntil: 'load' });
  expect(await page.innerText('#verdict')).toBe('Verdict: FAIL');
  expect(await page.locator('tr[data-figure="RPO"]').innerText()).toMatch(/8.00 s\s+5.00 s\s+−3.00 s\s+FAIL/);
  await page.close();
});

test('Markdown carries the figures, phases and resolution', () => {
  const md = renderMarkdown(sampleReport({ canary: false }));
  expect(md).toContain('**Verdict: NOT-MEASURED**');
  expect(md).toMatch(/\| RTO \| 5 min 34 s \| 15 min 00 s \| \+9 min 26 s \| PASS \|/);
  expect(md).toMatch(/\| RPO \| not measured: canary endpoint unreachable/);
  expect(md).toMatch(/\| promote \| .* \| 1 min 55 s \|/);
  expect(md).toMatch(/Resolution: state polled every 250 ms/);
});

test('every heading over times says which clock they are on (simulated, with its scale, or wall)', () => {
  const sim = { ...sampleReport(), clock: reportClock('sim', 60, Date.UTC(2026, 11, 2, 20, 48)) };
  for (const text of [renderMarkdown(sim), renderHtml(sim)]) {
    expect(text).toMatch(/Phases \(times on the simulated clock, 60× wall time\)/);
    expect(text).toMatch(/Timeline \(times on the simulated clock, 60× wall time\)/);
    expect(text).toContain('2026-12-02T20:48:00.000Z (wall clock)');
  }
  const real = renderMarkdown({ ...sampleReport(), clock: reportClock('real', 1) });
  expect(real).toContain('## Timeline (times wall-clock, UTC)');
});

test('JSON round-trips through the schema; a bad report names the field', () => {
  const report = sampleReport();
  expect(parseReportJson(renderJson(report))).toEqual(report);
  const bad = JSON.parse(renderJson(report));
  bad.measurement.rto = { status: 'measured', valueMs: 'fast', targetMs: 1, marginMs: 1, verdict: 'pass' };
  expect(() => parseReportJson(JSON.stringify(bad))).toThrow(InvalidReportError);
  expect(() => parseReportJson(JSON.stringify(bad))).toThrow(/measurement\.rto\.valueMs/);
});
