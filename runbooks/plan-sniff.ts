/** Tells a game-day plan from a runbook by its text, without loading either schema. */

/** True when a YAML document looks like a game-day plan (it lists `scenarios`), not a runbook. */
export function looksLikeGameDayPlan(text: string): boolean {
  return /^scenarios\s*:/m.test(text);
}
