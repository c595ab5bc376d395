/**
 * `gameday validate <files…>`: checks runbook files and game-day plans (a YAML file with
 * `scenarios:`) against their schemas without contacting anything; a plan is also checked against
 * the runbooks it names (the runbook folder above its `gamedays/` folder, else `GAMEDAY_RUNBOOK_DIR`
 * or `runbooks/`). Prints `file:line: path: message` per problem and `ok` per valid file, for every file
 * given; exit 2 when any file is invalid. Files are read only when regular and bounded.
 */
import type { Command } from 'commander';
import { basename, dirname } from 'node:path';
import { looksLikeGameDayPlan } from '../../runbooks/plan-sniff';
import {
  DEFAULT_RUNBOOK_DIR,
  formatIssue,
  loadRunbookFile,
  readRunbookText,
  RunbookValidationError,
  type RunbookIssue,
} from '../../runbooks/load';
import type { CliContext } from '../context';
import { EXIT } from '../output';

/** Result of one file. */
interface FileResult {
  readonly file: string;
  readonly ok: boolean;
  readonly service?: string;
  readonly tier?: string;
  /** Set for a game-day plan: what it runs. */
  readonly plan?: {
    readonly title: string;
    readonly scenarios: readonly string[];
    readonly checkpoints: number;
    readonly notYetBuilt: readonly string[];
  };
  readonly issues: readonly RunbookIssue[];
}

/** The runbook folder a plan file resolves its runbooks from. */
function runbookDirOf(file: string): string {
  const dir = dirname(file);
  if (basename(dir) === 'gamedays') return dirname(dir);
  return process.env.GAMEDAY_RUNBOOK_DIR ?? DEFAULT_RUNBOOK_DIR;
}

/** Validates one file: a game-day plan when it lists `scenarios:`, else a runbook. */
/** The game-day plan loader, required on first use (`cli/command-table.ts` says why `require`). */
function planLoader(): typeof import('../../runbooks/gameday-load') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../runbooks/gameday-load') as typeof import('../../runbooks/gameday-load');
}

function validateFile(file: string): FileResult {
  try {
    if (looksLikeGameDayPlan(readRunbookText(file))) {
      // The plan schema loads only for a plan (a runbook file never needs it).
      const { loadGameDayPlanFile, SCENARIOS_NOT_YET_BUILT } = planLoader();
      const p = loadGameDayPlanFile(file, runbookDirOf(file));
      const notYetBuilt = p.scenarios.filter((s) => SCENARIOS_NOT_YET_BUILT.has(s.kind)).map((s) => `${s.id} needs ${s.workflowType}`);
      return {
        file,
        ok: true,
        plan: { title: p.title, scenarios: p.scenarios.map((s) => s.id), checkpoints: p.checkpoints.length, notYetBuilt },
        issues: [],
      };
    }
    const rb = loadRunbookFile(file);
    return { file, ok: true, service: rb.service, tier: rb.tier, issues: [] };
  } catch (err) {
    // One file's problem never hides the others' results.
    if (err instanceof RunbookValidationError) return { file, ok: false, issues: err.issues };
    return { file, ok: false, issues: [{ file, path: '', message: err instanceof Error ? err.message : String(err) }] };
  }
}

function line(r: FileResult): string {
  if (!r.ok) return r.issues.map(formatIssue).join('\n');
  if (!r.plan) return `ok    ${r.file} (${r.service}, ${r.tier})`;
  const note = r.plan.notYetBuilt.length > 0 ? `; not on this build yet: ${r.plan.notYetBuilt.join(', ')}` : '';
  return `ok    ${r.file} (game day "${r.plan.title}": ${r.plan.scenarios.join(' → ')}; ${r.plan.checkpoints} checkpoint(s)${note})`;
}

/** Registers `validate`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('validate runbook files and game-day plans (exit 2 naming file:line: field when one is invalid)')
    .argument('<files...>', 'runbook or game-day plan YAML files')
    .action((files: string[], _opts: unknown, cmd: Command) => {
      const out = ctx.output(cmd);
      const results: FileResult[] = files.map(validateFile);
      const human = results.map(line).join('\n');
      out.result(human, results);
      if (results.some((r) => !r.ok)) process.exitCode = EXIT.badInput;
    });
}
