/**
 * The project's custom search attributes: the evidence of every run, filterable in the Temporal UI
 * (`GamedayService = "payments" AND GamedayVerdict = "fail"`) and by `gameday runs`.
 * Pure data, safe to import from workflow code. Registered by `scripts/temporal-dev.ts`.
 */
import { defineSearchAttributeKey } from '@temporalio/common';

/** The custom search attributes of gameday runs: Temporal name and type, keyed by what they hold. */
export const SEARCH_ATTRIBUTES = {
  service: { name: 'GamedayService', type: 'Keyword' },
  scenario: { name: 'GamedayScenario', type: 'Keyword' },
  tier: { name: 'GamedayTier', type: 'Keyword' },
  verdict: { name: 'GamedayVerdict', type: 'Keyword' },
  rtoSeconds: { name: 'GamedayRtoSeconds', type: 'Double' },
  rpoSeconds: { name: 'GamedayRpoSeconds', type: 'Double' },
} as const;

/**
 * Typed keys of the custom search attributes, for `upsertSearchAttributes([{ key, value }])` in
 * workflows and `typedSearchAttributes` on the client (TS SDK typed search attribute API).
 */
export const SEARCH_KEYS = {
  service: defineSearchAttributeKey(SEARCH_ATTRIBUTES.service.name, 'KEYWORD'),
  scenario: defineSearchAttributeKey(SEARCH_ATTRIBUTES.scenario.name, 'KEYWORD'),
  tier: defineSearchAttributeKey(SEARCH_ATTRIBUTES.tier.name, 'KEYWORD'),
  verdict: defineSearchAttributeKey(SEARCH_ATTRIBUTES.verdict.name, 'KEYWORD'),
  rtoSeconds: defineSearchAttributeKey(SEARCH_ATTRIBUTES.rtoSeconds.name, 'DOUBLE'),
  rpoSeconds: defineSearchAttributeKey(SEARCH_ATTRIBUTES.rpoSeconds.name, 'DOUBLE'),
} as const;
