/**
 * lib/evidence-freshness.ts (pure): which scenarios a runbook's tier requires evidence of (only
 * those it can run), and fresh / stale / never against the policy in lib/tiers.ts.
 */
import { judgeEvidence, requiredEvidence } from '../lib/evidence-freshness';
import { EVIDENCE_POLICY } from '../lib/tiers';
import { loadRunbookByName } from '../runbooks/load';

const DAY = 86_400_000;
const payments = loadRunbookByName('payments-prod');
const analytics = loadRunbookByName('analytics-prod');

test('tier 0 payments: region promotion every 90 days, restore daily, AZ loss; no Backtrack (Aurora PostgreSQL)', () => {
  expect(requiredEvidence(payments, new Set(['region-cut', 'instance-termination']))).toEqual([
    { scenario: 'region-promotion', maxAgeMs: 90 * DAY },
    { scenario: 'restore-verification', maxAgeMs: 1 * DAY },
    { scenario: 'az-loss', maxAgeMs: 90 * DAY },
  ]);
  expect(EVIDENCE_POLICY.tier0['region-promotion']).toBe(90 * DAY);
});

test('a single-region Aurora MySQL store is not asked for a region promotion but for its Backtrack drill', () => {
  const scenarios = requiredEvidence(analytics).map((r) => r.scenario);
  expect(scenarios).toContain('backtrack-drill');
  expect(scenarios).not.toContain('region-promotion');
});

test.each([
  ['fresh within the policy', 89 * DAY, 'fresh'],
  ['fresh at exactly the policy', 90 * DAY, 'fresh'],
  ['stale past it', 90 * DAY + 1, 'stale'],
])('%s', (_name, age, status) => {
  const now = Date.UTC(2026, 11, 2);
  const last = { workflowId: 'promote-payments-global', runId: 'r', closedAt: now - age, rtoSeconds: 42, rpoSeconds: 0 };
  const row = judgeEvidence('payments-prod', payments, { scenario: 'region-promotion', maxAgeMs: 90 * DAY }, last, now);
  expect(row).toMatchObject({ runbook: 'payments-prod', service: 'payments', tier: 'tier0', ageMs: age, status });
});

test('never measured is its own status (and not fresh)', () => {
  expect(judgeEvidence('payments-prod', payments, { scenario: 'az-loss', maxAgeMs: 90 * DAY }, undefined, Date.now()).status).toBe('never');
});
