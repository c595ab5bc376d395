/**
 * `gameday start <workflow> --runbook <name|file>`: starts a playbook workflow and (by default)
 * waits for its result. A runbook file is validated locally first and sent as YAML; a name is
 * validated by the workflow's first activity. Exit 1 when the run fails or its result says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { WorkflowFailedError } from '@temporalio/client';
import type { Command } from 'commander';
import { formatIssue, parseRunbook, RunbookValidationError, runbookName } from '../../runbooks/load';
import type { CliContext } from '../context';
import { CliError, EXIT, UsageError } from '../output';
import { reportOfFailure } from '../failure-reason';
import { formatResult, resultFailed } from '../results';
import { runMetadata } from '../../lib/run-metadata';

interface StartOptions {
  readonly runbook?: string;
  readonly input?: string;
  readonly id?: string;
  readonly wait: boolean;
}

/** The workflow argument built from `--runbook` and `--input`. */
export function buildInput(opts: Pick<StartOptions, 'runbook' | 'input'>): { input: Record<string, unknown>; name?: string } {
  let extra: Record<string, unknown> = {};
  if (opts.input !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(opts.input);
    } catch (err) {
      throw new UsageError(
        `--input: not valid JSON (${err instanceof Error ? err.message : String(err)}); pass an object such as '{"runbook":"payments-prod"}'`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('--input: expected a JSON object');
    extra = parsed as Record<string, unknown>;
  }
  if (opts.runbook === undefined) {
    if (opts.input === undefined) throw new UsageError('--runbook <name|file> or --input <json> is required');
    return { input: extra, name: typeof extra.runbook === 'string' ? extra.runbook : undefined };
  }
  const isFile = /\.ya?ml$/.test(opts.runbook) || opts.runbook.includes('/');
  if (!isFile) return { input: { runbook: opts.runbook, ...extra }, name: opts.runbook };
  if (!existsSync(opts.runbook)) throw new UsageError(`--runbook: file ${opts.runbook} not found`);
  const text = readFileSync(opts.runbook, 'utf8');
  try {
    parseRunbook(text, opts.runbook);
  } catch (err) {
    if (err instanceof RunbookValidationError) throw new UsageError(`invalid runbook:\n${err.issues.map(formatIssue).join('\n')}`);
    throw err;
  }
  const name = runbookName(opts.runbook);
  return { input: { runbook: name, runbookYaml: text, ...extra }, name };
}

/** Registers `start`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('start a playbook workflow (e.g. preflightWorkflow) and wait for its result')
    .argument('<workflow>', 'workflow type, e.g. preflightWorkflow')
    .option('--runbook <name|file>', "runbook name (in the worker's runbook folder) or a YAML file")
    .option('--input <json>', 'workflow input as a JSON object (merged over the runbook reference)')
    .option('--id <workflowId>', 'workflow id (default: <workflow>-<runbook>-<time>)')
    .option('--no-wait', 'return once started, printing the workflow id')
    .action(async (workflow: string, opts: StartOptions, cmd: Command) => {
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(workflow))
        throw new UsageError(`<workflow>: expected a workflow type such as preflightWorkflow, got "${workflow}"`);
      const { input, name } = buildInput(opts);
      const g = ctx.options(cmd);
      const out = ctx.output(cmd);
      const workflowId = opts.id ?? `${workflow}-${name ?? 'run'}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const client = await ctx.client(cmd);
      const handle = await client.workflow.start(workflow, {
        taskQueue: g.taskQueue,
        workflowId,
        args: [input],
        ...runMetadata(workflow, input, 'gameday start'),
      });
      out.info(`started ${workflow} ${workflowId} (run ${handle.firstExecutionRunId}) on task queue ${g.taskQueue}`);
      if (!opts.wait) {
        out.result(workflowId, { workflowId, runId: handle.firstExecutionRunId, workflow, taskQueue: g.taskQueue });
        return;
      }
      let result: unknown;
      try {
        result = await handle.result();
      } catch (err) {
        if (err instanceof WorkflowFailedError) {
          const message = `${workflowId} failed: ${reportOfFailure(err).message}`;
          if (out.json) out.result(message, { workflowId, runId: handle.firstExecutionRunId, workflow, failed: true, error: message });
          throw new CliError(message, EXIT.runFailed);
        }
        throw err;
      }
      out.result(formatResult(result), { workflowId, runId: handle.firstExecutionRunId, workflow, result });
      if (resultFailed(result)) process.exitCode = EXIT.runFailed;
    });
}
