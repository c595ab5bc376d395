/**
 * `gameday validate <files…>`: checks runbook files against the schema without contacting anything.
 * Prints `file:line: path: message` per problem and `ok` per valid file, for every file given;
 * exit 2 when any file is invalid. Files are read only when regular and bounded (`readRunbookText`).
 */
import type { Command } from 'commander';
import { formatIssue, loadRunbookFile, RunbookValidationError, type RunbookIssue } from '../../runbooks/load';
import type { CliContext } from '../context';
import { EXIT } from '../output';

/** Result of one file. */
interface FileResult {
  readonly file: string;
  readonly ok: boolean;
  readonly service?: string;
  readonly tier?: string;
  readonly issues: readonly RunbookIssue[];
}

/** Registers `validate`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('validate runbook files (exit 2 naming file:line: field when one is invalid)')
    .argument('<files...>', 'runbook YAML files')
    .action((files: string[], _opts: unknown, cmd: Command) => {
      const out = ctx.output(cmd);
      const results: FileResult[] = files.map((file) => {
        try {
          const rb = loadRunbookFile(file);
          return { file, ok: true, service: rb.service, tier: rb.tier, issues: [] };
        } catch (err) {
          // One file's problem never hides the others' results.
          if (err instanceof RunbookValidationError) return { file, ok: false, issues: err.issues };
          return { file, ok: false, issues: [{ file, path: '', message: err instanceof Error ? err.message : String(err) }] };
        }
      });
      const human = results
        .map((r) => (r.ok ? `ok    ${r.file} (${r.service}, ${r.tier})` : r.issues.map(formatIssue).join('\n')))
        .join('\n');
      out.result(human, results);
      if (results.some((r) => !r.ok)) process.exitCode = EXIT.badInput;
    });
}
