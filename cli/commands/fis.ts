/**
 * `gameday fis render|validate|diff|apply --runbook <name|file> --az <AZ> [--template NAME]`:
 * the FIS template library. `render` prints the final CreateExperimentTemplate JSON and `validate`
 * checks it (both local, no AWS call); `diff` and `apply` run `fisTemplatesWorkflow` on the workers
 * (the CLI never talks to AWS), which finds the deployed copy by its gameday tags and shows the
 * difference or creates / updates it idempotently.
 */
import { WorkflowFailedError } from '@temporalio/client';
import type { Command } from 'commander';
import {
  FisTemplateError,
  applicableFisTemplates,
  formatFisIssue,
  listFisTemplateNames,
  renderFisTemplate,
  validateFisTemplate,
  type FisTemplateIssue,
} from '../../runbooks/fis-templates';
import { parseIsoDuration } from '../../runbooks/fis-catalog';
import { formatIssue, loadRunbookByName, parseRunbook, RunbookValidationError } from '../../runbooks/load';
import type { Runbook } from '../../runbooks/schema';
import type { FisTemplatesResult } from '../../workflows/fis-templates-workflow';
import type { CliContext } from '../context';
import { CliError, EXIT, UsageError } from '../output';
import { buildInput } from './start';

interface FisOptions {
  readonly runbook?: string;
  readonly az?: string;
  readonly template?: string[];
  readonly duration?: string;
}

/** The runbook of `--runbook` (a name in the runbook folder, or a YAML file), validated locally. */
export function localRunbook(ref: string | undefined): { runbook: Runbook; input: Record<string, unknown> } {
  if (!ref) throw new UsageError('--runbook <name|file> is required');
  const { input } = buildInput({ runbook: ref });
  try {
    const runbook = typeof input.runbookYaml === 'string' ? parseRunbook(input.runbookYaml, ref) : loadRunbookByName(ref);
    return { runbook, input };
  } catch (err) {
    if (err instanceof RunbookValidationError) throw new UsageError(`invalid runbook:\n${err.issues.map(formatIssue).join('\n')}`);
    throw err;
  }
}

function checkOptions(opts: FisOptions): { az: string; templates?: string[]; duration?: string } {
  if (!opts.az) throw new UsageError('--az <AZ> is required, e.g. --az us-east-1a');
  const known = listFisTemplateNames();
  for (const t of opts.template ?? [])
    if (!known.includes(t)) throw new UsageError(`--template: unknown template "${t}"; use one of ${known.join(', ')}`);
  if (opts.duration !== undefined && parseIsoDuration(opts.duration) === undefined)
    throw new UsageError(`--duration: "${opts.duration}" is not an ISO-8601 duration; write e.g. PT10M`);
  return {
    az: opts.az,
    ...(opts.template?.length ? { templates: opts.template } : {}),
    ...(opts.duration ? { duration: opts.duration } : {}),
  };
}

function collect(value: string, prev: string[] = []): string[] {
  return [...prev, value];
}

/** Renders (and validates) the selected templates locally; template-level errors are collected. */
function renderAll(runbook: Runbook, o: { az: string; templates?: string[]; duration?: string }) {
  const opts = { az: o.az, ...(o.duration ? { duration: o.duration } : {}) };
  const names =
    o.templates ??
    applicableFisTemplates(runbook, opts)
      .filter((t) => !t.skipped)
      .map((t) => t.name);
  const skipped = o.templates ? [] : applicableFisTemplates(runbook, opts).filter((t) => t.skipped);
  const rendered = [];
  const issues: FisTemplateIssue[] = [];
  for (const name of names) {
    try {
      const r = renderFisTemplate(name, runbook, opts);
      issues.push(...validateFisTemplate(r, runbook));
      rendered.push(r);
    } catch (err) {
      if (err instanceof FisTemplateError) issues.push(...err.issues);
      else throw err;
    }
  }
  return { rendered, issues, skipped };
}

/** Registers `fis` and its subcommands. */
export function register(program: Command, ctx: CliContext): void {
  const fis = program.command('fis').description('the FIS experiment template library: render, validate, diff, apply');
  const common = (cmd: Command): Command =>
    cmd
      .option('--runbook <name|file>', 'runbook name (in the runbook folder) or a YAML file')
      .option('--az <AZ>', 'the AZ the experiments target, e.g. us-east-1a')
      .option(
        '--template <name>',
        `library template (repeatable; default: every one that applies): ${listFisTemplateNames().join(', ')}`,
        collect,
      )
      .option('--duration <iso8601>', 'fault duration of the actions, e.g. PT10M (default PT30M)');

  common(fis.command('render').description('print the final CreateExperimentTemplate JSON (local, no AWS call)')).action(
    (opts: FisOptions, cmd: Command) => {
      const { runbook } = localRunbook(opts.runbook);
      const o = checkOptions(opts);
      const { rendered, issues, skipped } = renderAll(runbook, o);
      const out = ctx.output(cmd);
      for (const s of skipped) out.info(`skipped ${s.name}: ${s.skipped}`);
      for (const i of issues) out.info(formatFisIssue(i));
      const value = rendered.map((r) => ({ name: r.name, region: r.region, account: r.account, omitted: r.omitted, template: r.input }));
      out.result(
        rendered
          .map(
            (r) =>
              `// ${r.name} (${r.region})${r.omitted.length ? `; left out: ${r.omitted.join('; ')}` : ''}\n${JSON.stringify(r.input, null, 2)}`,
          )
          .join('\n'),
        value,
      );
      if (issues.length > 0) process.exitCode = EXIT.badInput;
    },
  );

  common(
    fis.command('validate').description('validate the rendered templates against the FIS catalog and the blast radius (local)'),
  ).action((opts: FisOptions, cmd: Command) => {
    const { runbook } = localRunbook(opts.runbook);
    const o = checkOptions(opts);
    const { rendered, issues, skipped } = renderAll(runbook, o);
    const out = ctx.output(cmd);
    for (const s of skipped) out.info(`skipped ${s.name}: ${s.skipped}`);
    const lines = rendered.map((r) => `${issues.some((i) => i.template === r.name) ? 'INVALID' : 'ok     '} ${r.name} (${r.region})`);
    out.result([...lines, ...issues.map(formatFisIssue)].join('\n'), {
      valid: issues.length === 0,
      templates: rendered.map((r) => r.name),
      issues,
    });
    if (issues.length > 0) throw new CliError(`${issues.length} problem(s) in the FIS templates`, EXIT.badInput);
  });

  const remote = (mode: 'diff' | 'apply') => async (opts: FisOptions & { id?: string }, cmd: Command) => {
    const { runbook, input } = localRunbook(opts.runbook);
    const o = checkOptions(opts);
    const { issues } = renderAll(runbook, o);
    if (issues.length > 0) throw new UsageError(`the templates do not validate; nothing sent:\n${issues.map(formatFisIssue).join('\n')}`);
    const g = ctx.options(cmd);
    const out = ctx.output(cmd);
    const client = await ctx.client(cmd);
    const workflowId =
      opts.id ?? `fis-${mode}-${runbook.service}-${runbook.environment}-${o.az}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    let result: FisTemplatesResult;
    try {
      result = await client.workflow.execute('fisTemplatesWorkflow', {
        taskQueue: g.taskQueue,
        workflowId,
        args: [{ ...input, ...o, mode }],
      });
    } catch (err) {
      if (err instanceof WorkflowFailedError) {
        const root: unknown = err.cause?.cause ?? err.cause;
        throw new CliError(`${workflowId} failed: ${root instanceof Error ? root.message : err.message}`, EXIT.runFailed);
      }
      throw err;
    }
    const human = result.templates
      .map((t) =>
        [
          `${t.action.padEnd(12)} ${t.name} (${t.region})${t.id ? ` ${t.id}` : ''}`,
          ...(mode === 'diff' || t.action !== 'unchanged' ? t.differences.map((d) => `    ${d}`) : []),
        ].join('\n'),
      )
      .join('\n');
    out.result(human, { workflowId, ...result });
  };
  common(fis.command('diff').description('show the difference between the rendered and the deployed templates (through a workflow)'))
    .option('--id <workflowId>', 'workflow id')
    .action(remote('diff'));
  common(
    fis.command('apply').description('create or update the templates in AWS, tagged gameday-managed, idempotently (through a workflow)'),
  )
    .option('--id <workflowId>', 'workflow id')
    .action(remote('apply'));
}
