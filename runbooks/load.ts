/**
 * Loads runbook YAML files and validates them against the schema. Every error names the file,
 * the line, the field path and what was expected, so `gameday validate` output is actionable.
 */
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { isNode, LineCounter, type Document } from 'yaml';
import type { z } from 'zod';
import { credentialMessage, findCredentials } from '../lib/credential-scan';
import { BoundedFileError, readBoundedTextFile } from '../lib/read-bounded-file';
import { addBoundIssues, MAX_RUNBOOK_BYTES, MAX_RUNBOOK_NAME, preview } from './bounds';
import { parseBoundedYaml, YamlBoundError } from './bounded-yaml';
import { Runbook } from './schema';

/** The runbook schema with the bounds of `runbooks/bounds.ts` (sizes, AWS names, durations, ports). */
const BoundedRunbook = Runbook.superRefine(addBoundIssues);

/** One problem in a runbook file. */
export interface RunbookIssue {
  readonly file: string;
  readonly line?: number;
  /** Dotted field path, e.g. `aurora.members.1.region`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

/** Thrown when a runbook does not parse or validate; `issues` lists every problem. */
export class RunbookValidationError extends Error {
  override readonly name = 'RunbookValidationError';
  constructor(readonly issues: readonly RunbookIssue[]) {
    super(issues.map(formatIssue).join('\n'));
  }
}

/** `file:line: path: message`, the shape editors and CI annotate. */
export function formatIssue(i: RunbookIssue): string {
  const where = i.line !== undefined ? `${i.file}:${i.line}` : i.file;
  return `${where}: ${i.path || '(root)'}: ${i.message}`;
}

function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number | undefined {
  // Walk up the path until a node exists (a missing field is reported at its parent).
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** A parsed YAML document and the line of any field path in it. */
export interface ParsedYaml {
  readonly value: unknown;
  /** Line of the node at `path` (or of its nearest existing parent). */
  readonly lineFor: (path: readonly PropertyKey[]) => number | undefined;
}

/** Parses YAML text; a syntax error throws `RunbookValidationError` with `file:line`. `file` is used in messages only. */
export function parseYamlText(text: string, file = '<input>'): ParsedYaml {
  const lines = new LineCounter();
  let parsed: ReturnType<typeof parseBoundedYaml>;
  try {
    parsed = parseBoundedYaml(text, lines);
  } catch (err) {
    if (err instanceof YamlBoundError)
      throw new RunbookValidationError([{ file, ...(err.line ? { line: err.line } : {}), path: '', message: err.message }]);
    throw err;
  }
  const doc = parsed.doc;
  if (doc.errors.length > 0) {
    throw new RunbookValidationError(
      doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line,
        path: '',
        message: `YAML syntax: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  let value: unknown;
  try {
    value = parsed.toJS();
  } catch (err) {
    if (err instanceof YamlBoundError) throw new RunbookValidationError([{ file, path: '', message: err.message }]);
    throw err;
  }
  return { value, lineFor: (path) => lineOf(doc, lines, path) };
}

/** The issues of a failed zod parse as `file:line: path: message` records. */
export function issuesOf(
  error: z.ZodError,
  file: string,
  lineFor: (path: readonly PropertyKey[]) => number | undefined = () => undefined,
): RunbookIssue[] {
  return error.issues.map((issue) => ({
    file,
    line: lineFor(issue.path),
    path: issue.path.map(String).join('.'),
    message: describeIssue(issue),
  }));
}

/** Validates YAML text; `file` is used in messages only. */
export function parseRunbook(text: string, file = '<input>'): Runbook {
  const { value, lineFor } = parseYamlText(text, file);
  return validateRunbookObject(value, file, lineFor);
}

/** Validates an already-parsed object (e.g. JSON typed into the Temporal UI). */
export function validateRunbookObject(
  value: unknown,
  file = '<input>',
  lineFor: (path: readonly PropertyKey[]) => number | undefined = () => undefined,
): Runbook {
  // Credential-like content anywhere is refused first, by field path (never echoing the value).
  const secrets = findCredentials(value).map((f) => ({
    file,
    line: lineFor(f.path.split('.')),
    path: f.path,
    message: credentialMessage(f),
  }));
  const result = BoundedRunbook.safeParse(value);
  if (result.success && secrets.length === 0) return result.data;
  const schemaIssues = result.error ? issuesOf(result.error, file, lineFor) : [];
  // A field holding a credential is reported as that, never with a schema message that may quote
  // the value (e.g. "expected a host name; got ..."); only the schema's own inline-password rule,
  // which quotes nothing, keeps its more specific message.
  const ownRule = (i: RunbookIssue): boolean => i.message.startsWith('an inline password is not allowed');
  const credentialPaths = new Set(secrets.map((f) => f.path));
  const kept = schemaIssues.filter((i) => !credentialPaths.has(i.path) || ownRule(i));
  throw new RunbookValidationError([...secrets.filter((f) => !kept.some((i) => i.path === f.path)), ...kept]);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove it or check the spelling`;
  }
  return issue.message;
}

/**
 * Reads a runbook file's text: only a regular file of at most `MAX_RUNBOOK_BYTES` (a device, FIFO
 * or directory is refused at once, see `lib/read-bounded-file`).
 */
export function readRunbookText(path: string): string {
  try {
    return readBoundedTextFile(resolve(path), MAX_RUNBOOK_BYTES);
  } catch (err) {
    if (err instanceof BoundedFileError) throw new RunbookValidationError([{ file: path, path: '', message: err.reason }]);
    throw err;
  }
}

/** Reads and validates one runbook file. */
export function loadRunbookFile(path: string): Runbook {
  return parseRunbook(readRunbookText(path), path);
}

/** Default folder of runbook files, overridable with GAMEDAY_RUNBOOK_DIR. */
export const DEFAULT_RUNBOOK_DIR = resolve(__dirname);

/** Runbook files (`*.yaml` / `*.yml`) directly in `dir`. */
export function listRunbookFiles(dir = DEFAULT_RUNBOOK_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** The runbook name is the file name without extension, e.g. `payments-prod`. */
export function runbookName(file: string): string {
  return basename(file).replace(/\.ya?ml$/, '');
}

/** Throws unless `name` is a plain runbook file stem of at most `MAX_RUNBOOK_NAME` characters. */
export function checkRunbookName(name: string): void {
  if (name.length > MAX_RUNBOOK_NAME || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new RunbookValidationError([
      {
        file: '<input>',
        path: 'runbook',
        message: `expected a runbook name such as "payments-prod" (a file stem in the runbooks folder, no path, at most ${MAX_RUNBOOK_NAME} characters); got ${preview(name)}`,
      },
    ]);
  }
}

/** Loads a runbook by name from `dir`; the name must be a plain file stem (no path). */
export function loadRunbookByName(name: string, dir = DEFAULT_RUNBOOK_DIR): Runbook {
  checkRunbookName(name);
  const match = listRunbookFiles(dir).find((f) => runbookName(f) === name);
  if (!match) {
    const known = listRunbookFiles(dir).map(runbookName).join(', ');
    throw new RunbookValidationError([{ file: name, path: 'runbook', message: `no runbook named "${name}" in ${dir}; known: ${known}` }]);
  }
  return loadRunbookFile(match);
}

/**
 * How a workflow input names its runbook: by name (a file stem in the worker's runbook folder), or
 * as YAML text sent by the CLI for a `--runbook FILE` (`runbook` is then the file's stem). A path
 * is never read from workflow input: inputs typed into the Temporal UI must not reach the worker's
 * file system beyond the runbook folder.
 */
export interface RunbookRef {
  readonly runbook?: string;
  readonly runbookYaml?: string;
}

/** Resolves a `RunbookRef`; problems throw `RunbookValidationError` (callers map it to their failure type). */
export function resolveRunbookRef(ref: RunbookRef, dir = DEFAULT_RUNBOOK_DIR): { name: string; runbook: Runbook; fromYaml: boolean } {
  if (ref.runbookYaml !== undefined) {
    if (ref.runbook !== undefined) checkRunbookName(ref.runbook);
    const runbook = parseRunbook(ref.runbookYaml, ref.runbook ?? 'runbookYaml');
    return { name: ref.runbook ?? `${runbook.service}-${runbook.environment}`, runbook, fromYaml: true };
  }
  if (!ref.runbook) {
    throw new RunbookValidationError([
      { file: '<input>', path: 'runbook', message: 'required: the runbook name, e.g. {"runbook":"payments-prod"}' },
    ]);
  }
  return { name: ref.runbook, runbook: loadRunbookByName(ref.runbook, dir), fromYaml: false };
}
