/**
 * The project's custom search attributes: the evidence of every run, filterable in the Temporal UI
 * (`GamedayService = "payments" AND GamedayVerdict = "fail"`) and by `gameday runs`.
 * Pure data, safe to import from workflow code. Registered by `scripts/temporal-dev.ts`.
 */
export const SEARCH_ATTRIBUTES = {
  service: { name: 'GamedayService', type: 'Keyword' },
  scenario: { name: 'GamedayScenario', type: 'Keyword' },
  tier: { name: 'GamedayTier', type: 'Keyword' },
  verdict: { name: 'GamedayVerdict', type: 'Keyword' },
  rtoSeconds: { name: 'GamedayRtoSeconds', type: 'Double' },
  rpoSeconds: { name: 'GamedayRpoSeconds', type: 'Double' },
} as const;
