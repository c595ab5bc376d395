/**
 * The CLI's one error contract, applied in `cli/main.ts` to whatever a command throws: bad input
 * or usage exits 2 with ONE line that names the argument and the fix, a failed run exits 1 with
 * one line, never a stack trace (`--debug` adds one on stderr). With `--json` the same error is a
 * JSON object on stdout (`{"ok":false,"exitCode":2,"error":"…"}`), so scripts always get JSON.
 * Also the check every command's arguments pass before its action runs (`checkArguments`).
 * Mapping an error loads nothing heavy before it is needed: the runbook loader and the Temporal
 * SDK's errors are required only for an error that may be theirs (which has loaded them already).
 */
import { CommanderError, type Command } from 'commander';
import { BoundedFileError } from '../lib/read-bounded-file';
import { TemporalConnectionError } from '../lib/temporal-connection';
import type { RunbookValidationError } from '../runbooks/load';
import { CliError, EXIT, UsageError } from './output';

/** How an error ends the command. */
export interface ErrorExit {
  readonly exitCode: number;
  /** One line, without the `gameday: ` prefix. */
  readonly message: string;
}

/** Longest error line printed (a hostile argument is never echoed whole). */
export const MAX_ERROR_LINE = 2000;

/** Folds a message onto one line of at most {@link MAX_ERROR_LINE} characters. */
export function oneLine(text: string): string {
  const line = text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .reduce((acc, part) => (acc === '' ? part : `${acc}${acc.endsWith(':') ? ' ' : '; '}${part}`), '');
  return line.length > MAX_ERROR_LINE ? `${line.slice(0, MAX_ERROR_LINE)}… (${line.length} characters)` : line;
}

const GRPC_INVALID_ARGUMENT = 3;
const GRPC_NOT_FOUND = 5;

function grpcCodeOf(err: unknown): number | undefined {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Maps any thrown value to its exit code and one-line message. */
export function errorExit(err: unknown, command?: string): ErrorExit {
  const usage = (message: string): ErrorExit => ({ exitCode: EXIT.badInput, message: oneLine(message) });
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return { exitCode: EXIT.ok, message: '' };
    const text = err.message.replace(/^error: /, '');
    return usage(`${text}; see \`gameday ${command ? `${command} ` : ''}--help\``);
  }
  if (err instanceof UsageError || err instanceof TemporalConnectionError) return usage(err.message);
  if (err instanceof CliError) return { exitCode: err.exitCode, message: oneLine(err.message) };
  if (err instanceof BoundedFileError) return usage(err.message);
  if (err instanceof Error && err.name === 'RunbookValidationError' && Array.isArray((err as RunbookValidationError).issues)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { formatIssue } = require('../runbooks/load') as typeof import('../runbooks/load');
    return usage(`--runbook: ${(err as RunbookValidationError).issues.map(formatIssue).join('; ')}`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NamespaceNotFoundError, WorkflowNotFoundError } = require('@temporalio/common') as typeof import('@temporalio/common');
  if (err instanceof NamespaceNotFoundError)
    return usage(`--namespace: namespace "${err.namespace}" not found on the server; create it or pass an existing --namespace`);
  if (err instanceof WorkflowNotFoundError)
    return usage(`workflow ${err.workflowId} not found; list runs with \`gameday runs\` and pass an existing workflow id`);
  const message = err instanceof Error ? err.message : String(err);
  const code = grpcCodeOf(err);
  if (code === GRPC_NOT_FOUND && /namespace/i.test(message))
    return usage(`--namespace: ${message}; create the namespace or pass an existing --namespace`);
  if (code === GRPC_INVALID_ARGUMENT) return usage(`the server refused the request: ${message}; fix the argument it names`);
  return { exitCode: EXIT.runFailed, message: oneLine(message) };
}

/** Longest value any option or argument may have (a workflow input as `--input` JSON fits). */
export const MAX_ARGUMENT_LENGTH = 64 * 1024;

/**
 * Refuses empty values, values over {@link MAX_ARGUMENT_LENGTH} and control characters (other
 * than tab and newline) in every option and argument of `cmd`, naming the option.
 */
export function checkArguments(cmd: Command): void {
  const problem = (value: unknown): string | undefined => {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== 'string') continue;
      if (v.trim() === '') return 'empty value; give a value or leave the option out';
      if (v.length > MAX_ARGUMENT_LENGTH) return `${v.length} characters; at most ${MAX_ARGUMENT_LENGTH}`;
      // eslint-disable-next-line no-control-regex
      if (/[\x00-\x08\x0b-\x1f\x7f]/.test(v)) return 'contains control characters; retype it';
    }
    return undefined;
  };
  for (const opt of cmd.options) {
    const key = opt.attributeName();
    const p = problem(cmd.getOptionValue(key));
    if (p) throw new UsageError(`${opt.long ?? opt.flags}: ${p}`);
  }
  cmd.registeredArguments.forEach((arg, i) => {
    const p = problem(cmd.processedArgs[i]);
    if (p) throw new UsageError(`<${arg.name()}>: ${p}`);
  });
}
