/**
 * `prepareFisTemplates`: the library templates a `gameday fis diff|apply` run manages, rendered for
 * a runbook and AZ and validated (no AWS call).
 */
import type { RunbookSource } from '../../runbooks/blast-radius';
import type { FisTemplatesInput, PreparedFisTemplate } from '../../contracts/fis-templates';
import {
  FisTemplateError,
  applicableFisTemplates,
  listFisTemplateNames,
  regionOfAz,
  renderValidFisTemplate,
} from '../../runbooks/fis-templates';
import type { ActivityDeps } from '../deps';
import { type InputIssue, invalidInput, invalidTemplate, loadInputRunbook } from './input';

/**
 * First activity of `fisTemplatesWorkflow`: validates the input and renders + validates every
 * selected template. No AWS call; fails non-retryably naming the field or the template path.
 */
export async function prepareFisTemplates(deps: ActivityDeps, input: unknown): Promise<PreparedFisTemplate[]> {
  return prepareFisTemplateSet(input, deps);
}

/** The rendered templates of `input` (see `prepareFisTemplates`). */
export function prepareFisTemplateSet(input: unknown, runbookDir: string | RunbookSource): PreparedFisTemplate[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidInput([{ field: '(input)', message: 'expected an object such as {"runbook":"payments-prod","az":"us-east-1a"}' }]);
  }
  const o = input as FisTemplatesInput;
  const issues: InputIssue[] = [];
  for (const k of Object.keys(o))
    if (!['runbook', 'runbookYaml', 'az', 'templates', 'duration', 'mode'].includes(k)) issues.push({ field: k, message: 'unknown field' });
  if (!o.runbook && !o.runbookYaml) issues.push({ field: 'runbook', message: 'required: the runbook name, e.g. "payments-prod"' });
  if (typeof o.az !== 'string' || !regionOfAz(o.az))
    issues.push({ field: 'az', message: `expected an AZ name such as "us-east-1a", got ${JSON.stringify(o.az)}` });
  if (o.templates !== undefined && (!Array.isArray(o.templates) || o.templates.some((t) => !listFisTemplateNames().includes(t)))) {
    issues.push({ field: 'templates', message: `expected template names from ${listFisTemplateNames().join(', ')}` });
  }
  if (o.mode !== undefined && o.mode !== 'diff' && o.mode !== 'apply')
    issues.push({ field: 'mode', message: 'expected "diff" or "apply"' });
  if (issues.length > 0) throw invalidInput(issues);
  const { runbook } = loadInputRunbook(o, runbookDir);
  const opts = { az: o.az, ...(o.duration ? { duration: o.duration } : {}) };
  const names =
    o.templates && o.templates.length > 0
      ? [...o.templates]
      : applicableFisTemplates(runbook, opts)
          .filter((t) => !t.skipped)
          .map((t) => t.name);
  if (names.length === 0)
    throw invalidInput([{ field: 'templates', message: `no template of the library applies to this runbook in ${o.az}` }]);
  const errors: FisTemplateError[] = [];
  const out: PreparedFisTemplate[] = [];
  for (const name of names) {
    try {
      const t = renderValidFisTemplate(name, runbook, opts);
      out.push({ name, region: t.region, account: t.account, input: t.input });
    } catch (err) {
      if (err instanceof FisTemplateError) errors.push(err);
      else throw err;
    }
  }
  if (errors.length > 0) throw invalidTemplate(new FisTemplateError(errors.flatMap((e) => e.issues)));
  return out;
}
