/**
 * `gameday fis render|validate|diff|apply --runbook <name|file> --az <AZ> [--template NAME]`:
 * the FIS template library. `render` prints the final CreateExperimentTemplate JSON and `validate`
 * checks it (both local, no AWS call); `diff` and `apply` run `fisTemplatesWorkflow` on the workers
 * (the CLI never talks to AWS), which finds the deployed copy by its gameday tags and shows the
 * difference or creates / updates it idempotently.
 *
 * `gameday fis validate FILE… [--runbook R] [--region R]` judges any template files (not only the
 * library): not valid FIS, unfilled placeholders and, with a runbook, gameday's policy.
 * `gameday fis import FILE --name NAME --runbook R --az AZ` adds one to the library, rendered and
 * validated against the runbook first.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { Command } from 'commander';
import {
  FIS_TEMPLATE_DIR,
  FisTemplateError,
  applicableFisTemplates,
  formatFisIssue,
  judgeFisDocument,
  listFisTemplateNames,
  regionOfAz,
  regionOfDocument,
  renderFisTemplate,
  renderFisTemplateObject,
  toLibraryTemplate,
  validateFisTemplate,
  type FisTemplateIssue,
} from '../../runbooks/fis-templates';
import { parseIsoDuration } from '../../runbooks/fis-catalog';
import { formatIssue, loadRunbookByName, parseRunbook, RunbookValidationError } from '../../runbooks/load';
import type { Runbook } from '../../runbooks/schema';
import type { FisTemplatesResult } from '../../contracts/fis-templates';
import type { CliContext } from '../context';
import { CliError, EXIT, UsageError } from '../output';
import { buildInput } from './start';
import { runMetadata } from '../../lib/run-metadata';

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

/** One judged template file. */
interface JudgedFile {
  readonly file: string;
  readonly valid: boolean;
  /** The region the policy was checked for; absent when no runbook was given. */
  readonly region?: string;
  readonly policyChecked: boolean;
  readonly issues: readonly FisTemplateIssue[];
  readonly notes: readonly FisTemplateIssue[];
}

/** Reads a template file as JSON; a file that cannot be read or parsed is one `fis` issue at `$`. */
function readTemplateFile(file: string): { doc?: unknown; issue?: FisTemplateIssue } {
  if (!existsSync(file)) return { issue: { template: file, path: '$', kind: 'fis', message: 'file not found' } };
  try {
    return { doc: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch (err) {
    return { issue: { template: file, path: '$', kind: 'fis', message: `not valid JSON: ${(err as Error).message}` } };
  }
}

/** Judges template files: FIS validity and placeholders, and the runbook's policy when one is given. */
function judgeFiles(files: readonly string[], runbook: Runbook | undefined, region: string | undefined): JudgedFile[] {
  return files.map((file) => {
    const { doc, issue } = readTemplateFile(file);
    if (issue) return { file, valid: false, policyChecked: false, issues: [issue], notes: [] };
    const j = judgeFisDocument(file, doc, { ...(runbook ? { runbook } : {}), ...(region ? { region } : {}) });
    return {
      file,
      valid: j.issues.length === 0,
      ...(j.region ? { region: j.region } : {}),
      policyChecked: runbook !== undefined,
      issues: j.issues,
      notes: j.notes,
    };
  });
}

function checkRegion(region: string | undefined): string | undefined {
  if (region !== undefined && !/^[a-z]{2}(?:-gov)?-[a-z]+-\d$/.test(region))
    throw new UsageError(`--region: "${region}" is not a region code; pass one such as us-east-1`);
  return region;
}

/** `fis validate FILE…`: judges arbitrary template files. */
function validateFiles(files: readonly string[], opts: FisOptions & { region?: string }, out: ReturnType<CliContext['output']>): void {
  const runbook = opts.runbook ? localRunbook(opts.runbook).runbook : undefined;
  const region = checkRegion(opts.region) ?? (opts.az ? regionOfAz(opts.az) : undefined);
  if (opts.az && !region) throw new UsageError(`--az: "${opts.az}" is not an AZ name; pass one such as us-east-1a`);
  const judged = judgeFiles(files, runbook, region);
  if (!runbook) out.info('policy not checked (no --runbook): judged FIS validity and placeholders only');
  const lines = judged.flatMap((j) => [
    `${j.valid ? 'ok     ' : 'INVALID'} ${j.file}${j.region ? ` (${j.region})` : ''}`,
    ...j.issues.map((i) => `  ${formatFisIssue(i)}`),
    ...j.notes.map((i) => `  ${formatFisIssue(i)}`),
  ]);
  out.result(lines.join('\n'), { valid: judged.every((j) => j.valid), policyChecked: runbook !== undefined, files: judged });
  const bad = judged.filter((j) => !j.valid).length;
  if (bad > 0) throw new CliError(`${bad} of ${judged.length} template file(s) refused; see the issues above`, EXIT.badInput);
}

/** `fis import FILE --name NAME --runbook R --az AZ`: adds a template file to the library, rendered against the runbook. */
function importFile(
  file: string,
  opts: FisOptions & { name?: string; dir?: string; force?: boolean },
  out: ReturnType<CliContext['output']>,
): void {
  if (!opts.name || !/^[a-z0-9][a-z0-9-]*$/.test(opts.name))
    throw new UsageError('--name <name> is required: the library name, lowercase letters, digits and hyphens (e.g. --name eks-pod-cpu)');
  const { runbook } = localRunbook(opts.runbook);
  if (!opts.az) throw new UsageError('--az <AZ> is required to render the imported template, e.g. --az us-east-1a');
  const dir = opts.dir ?? FIS_TEMPLATE_DIR;
  if (!existsSync(dir)) throw new UsageError(`--dir: folder ${dir} does not exist; create it or pass the library folder`);
  const target = join(dir, `${opts.name}.json`);
  if (existsSync(target) && !opts.force) throw new UsageError(`--name: ${target} already exists; pick another name or pass --force`);
  const { doc, issue } = readTemplateFile(file);
  const first = issue ? [issue] : judgeFisDocument(file, doc).issues;
  if (first.length > 0 || !doc || typeof doc !== 'object' || Array.isArray(doc)) {
    out.result(first.map(formatFisIssue).join('\n'), { imported: false, issues: first });
    throw new CliError(`${file} is not a valid FIS template (${first.length} issue(s)); nothing imported`, EXIT.badInput);
  }
  const region = regionOfDocument(doc);
  const { template, changes } = toLibraryTemplate(doc as Record<string, unknown>, {
    source: basename(file),
    account: runbook.account,
    ...(region ? { region } : {}),
  });
  const issues: FisTemplateIssue[] = [];
  try {
    issues.push(...validateFisTemplate(renderFisTemplateObject(opts.name, template, runbook, { az: opts.az }), runbook));
  } catch (err) {
    if (err instanceof FisTemplateError) issues.push(...err.issues);
    else throw err;
  }
  if (issues.length > 0) {
    out.result(issues.map(formatFisIssue).join('\n'), { imported: false, changes, issues });
    throw new CliError(
      `${file} renders for ${runbook.service}-${runbook.environment} with ${issues.length} issue(s); nothing imported`,
      EXIT.badInput,
    );
  }
  writeFileSync(target, `${JSON.stringify(template, null, 2)}\n`);
  out.result([`imported ${file} as ${target}`, ...changes.map((c) => `  ${c}`)].join('\n'), { imported: true, file: target, changes });
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
    fis
      .command('validate')
      .argument(
        '[files...]',
        'template files to judge (any CreateExperimentTemplate JSON); without files, the library rendered for --runbook/--az',
      )
      .description('judge FIS templates: not valid FIS, unfilled placeholders, refused by the runbook policy (local)'),
  )
    .option('--region <region>', 'the region the template files are for (default: the region their ARNs name)')
    .action((files: string[], opts: FisOptions & { region?: string }, cmd: Command) => {
      const out = ctx.output(cmd);
      if (files.length > 0) return validateFiles(files, opts, out);
      const { runbook } = localRunbook(opts.runbook);
      const o = checkOptions(opts);
      const { rendered, issues, skipped } = renderAll(runbook, o);
      for (const s of skipped) out.info(`skipped ${s.name}: ${s.skipped}`);
      const lines = rendered.map((r) => `${issues.some((i) => i.template === r.name) ? 'INVALID' : 'ok     '} ${r.name} (${r.region})`);
      out.result([...lines, ...issues.map(formatFisIssue)].join('\n'), {
        valid: issues.length === 0,
        templates: rendered.map((r) => r.name),
        issues,
      });
      if (issues.length > 0) throw new CliError(`${issues.length} problem(s) in the FIS templates`, EXIT.badInput);
    });

  fis
    .command('import')
    .description('add an existing FIS template file to the library, rendered and validated against a runbook first')
    .argument('<file>', 'a CreateExperimentTemplate JSON file')
    .option('--name <name>', 'library name of the template (file stem in runbooks/fis)')
    .option('--runbook <name|file>', 'runbook name (in the runbook folder) or a YAML file')
    .option('--az <AZ>', 'the AZ to render it for before writing, e.g. us-east-1a')
    .option('--dir <folder>', 'library folder (default runbooks/fis)')
    .option('--force', 'overwrite a library template of the same name', false)
    .action((file: string, opts: FisOptions & { name?: string; dir?: string; force?: boolean }, cmd: Command) =>
      importFile(file, opts, ctx.output(cmd)),
    );

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
        ...runMetadata('fisTemplatesWorkflow', { ...input, ...o, mode }, `gameday fis ${mode}`),
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
