/**
 * The content digest of a runbook file: the CLI sends the sha256 of the file it validated
 * (`promote-region --runbook FILE`), and the worker refuses to run its own runbook of that name
 * when the content differs, so a run acts on exactly the file the person named or not at all.
 * Only a digest travels: never the file's content or any credential.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_RUNBOOK_DIR, listRunbookFiles, readRunbookText, runbookName, RunbookValidationError } from './load';

/** sha256 (lowercase hex) of `text` as UTF-8. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Throws a `RunbookValidationError` at `runbookSha256` unless the worker's runbook `name` has digest `expected`. */
export function checkRunbookDigest(name: string, expected: string, dir = DEFAULT_RUNBOOK_DIR): void {
  const file = listRunbookFiles(dir).find((f) => runbookName(f) === name) ?? join(dir, `${name}.yaml`);
  const actual = sha256Hex(readRunbookText(file));
  if (actual === expected) return;
  throw new RunbookValidationError([
    {
      file: name,
      path: 'runbookSha256',
      message: `the worker's runbook ${name} (sha256 ${actual.slice(0, 12)}…) differs from the file you validated (sha256 ${expected.slice(0, 12)}…); deploy that file to the worker's runbook folder or run with the worker's runbook`,
    },
  ]);
}
