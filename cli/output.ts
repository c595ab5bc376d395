/**
 * CLI output: results on stdout (human text or `--json`), diagnostics on stderr, and the exit-code
 * contract: 0 success, 1 the run failed, 2 bad input or usage.
 */
import type { PreflightReport } from '../contracts/preflight';

/** Exit codes of every `gameday` command. */
export const EXIT = { ok: 0, runFailed: 1, badInput: 2 } as const;

/** An error that ends the command with a given exit code and a one-line message on stderr. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Bad input or usage (exit 2); the message names the argument and the fix. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(message, EXIT.badInput);
  }
}

/** Where a command writes; `json` selects machine output on stdout. */
export interface Output {
  readonly json: boolean;
  /** Prints a result: `value` as JSON with `--json`, else the human text. */
  result(human: string, value: unknown): void;
  /** A diagnostic line on stderr (never part of the result). */
  info(line: string): void;
}

/** Output on the process's stdout / stderr. */
export function processOutput(
  json: boolean,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Output {
  return {
    json,
    result(human, value) {
      stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : human.endsWith('\n') ? human : `${human}\n`);
    },
    info(line) {
      stderr.write(`${line}\n`);
    },
  };
}

/** Renders rows as a plain aligned table (no colours, safe for logs and CI). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function ms(v: number): string {
  if (v % 3_600_000 === 0) return `${v / 3_600_000} h`;
  if (v % 60_000 === 0) return `${v / 60_000} min`;
  if (v % 1000 === 0) return `${v / 1000} s`;
  return `${v} ms`;
}

/** True for a value shaped like a `PreflightReport`. */
export function isPreflightReport(v: unknown): v is PreflightReport {
  return (
    typeof v === 'object' && v !== null && Array.isArray((v as PreflightReport).checks) && typeof (v as PreflightReport).ready === 'boolean'
  );
}

/** Human rendering of a preflight report: header, one row per check, verdict line. */
export function formatPreflightReport(r: PreflightReport): string {
  const head = `Preflight ${r.runbook} (${r.service}/${r.environment}, ${r.tier}: RPO ${ms(r.targets.rpoMs)}, RTO ${ms(r.targets.rtoMs)})`;
  const rows = r.checks.map((c) => [c.ok ? 'ok' : 'FAIL', c.name, c.expected, c.found]);
  const failed = r.checks.filter((c) => !c.ok).length;
  const verdict = r.ready ? `READY: all ${r.checks.length} checks passed` : `NOT READY: ${failed} of ${r.checks.length} checks failed`;
  return `${head}\n${table(['', 'check', 'expected', 'found'], rows)}\n${verdict}\n`;
}

/** Human rendering of any workflow result (preflight reports get their table). */
export function formatResult(v: unknown): string {
  if (isPreflightReport(v)) return formatPreflightReport(v);
  return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
}

/** True when a workflow result says the run failed (exit 1): not ready, or a fail verdict. */
export function resultFailed(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { ready?: unknown; verdict?: unknown };
  return o.ready === false || o.verdict === 'fail';
}
