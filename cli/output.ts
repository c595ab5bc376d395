/**
 * CLI output: results on stdout (human text or `--json`), diagnostics on stderr, and the exit-code
 * contract: 0 success, 1 the run failed, 2 bad input or usage. How results are rendered is
 * `cli/results.ts`.
 */
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

/**
 * Whether a command of this process has printed its result (`cli/main.ts` then prints a `--json`
 * error on stderr only, so stdout stays one JSON document). Reset by `run` for each invocation.
 */
export const resultState = { written: false };

/** Output on the process's stdout / stderr. */
export function processOutput(
  json: boolean,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Output {
  return {
    json,
    result(human, value) {
      resultState.written = true;
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
