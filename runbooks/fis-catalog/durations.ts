/** ISO-8601 durations as FIS writes them (`PT10M`, `PT1H30M`, `PT90S`, `P1D`). */

/** One second in ms. */
export const SECOND = 1000;
/** One minute in ms. */
export const MINUTE = 60 * SECOND;
/** One hour in ms. */
export const HOUR = 60 * MINUTE;

/**
 * Parses an ISO-8601 duration of the form FIS uses (`PT10M`, `PT1H30M`, `PT90S`, `P1D`) into ms;
 * undefined when the text is not such a duration (years and months are rejected: not fixed lengths).
 */
export function parseIsoDuration(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, d, h, min, s] = m;
  if (d === undefined && h === undefined && min === undefined && s === undefined) return undefined;
  return Number(d ?? 0) * 24 * HOUR + Number(h ?? 0) * HOUR + Number(min ?? 0) * MINUTE + Math.round(Number(s ?? 0) * SECOND);
}

/** Formats ms as an ISO-8601 duration (`PT30M`), the inverse of `parseIsoDuration` for whole seconds. */
export function toIsoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / SECOND));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || total === 0 ? `${s}S` : ''}`;
}

/** `60000` → `1 min`, `43200000` → `12 h`, `5000` → `5 s`. */
export function formatMs(ms: number): string {
  if (ms % HOUR === 0) return `${ms / HOUR} h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE} min`;
  return `${ms / SECOND} s`;
}
