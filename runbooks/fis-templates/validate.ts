/**
 * Judging a template document: placeholders, FIS validity (`check-fis`) and the runbook's policy
 * (`check-policy`), each issue tagged with its kind so the two judgements read differently.
 */
import type { Runbook } from '../schema';
import { checkFisDocument } from './check-fis';
import { checkFisPolicy } from './check-policy';
import { parseArn } from './check-parameters';
import type { FisTemplateIssue, RenderedFisTemplate } from './library';
import { isObject } from './json-values';
import { findPlaceholders } from './placeholders';

/** Everything said about one document: refusals (`issues`, each with its kind) and `notes` that refuse nothing. */
export interface FisJudgement {
  readonly issues: FisTemplateIssue[];
  readonly notes: FisTemplateIssue[];
  /** The region the policy was checked for, when a runbook was given. */
  readonly region?: string;
}

/** Options of `judgeFisDocument`. */
export interface FisJudgeOptions {
  /** The runbook whose policy applies; without one only FIS validity and placeholders are judged. */
  readonly runbook?: Runbook;
  /**
   * The region the template is created in.
   * @default the region of the first regional ARN in the document, else the runbook's first blastRadius region
   */
  readonly region?: string;
}

/** The region a document's regional ARNs name first (stop-condition alarms, targets, log groups), if any. */
export function regionOfDocument(doc: unknown): string | undefined {
  const found = JSON.stringify(doc ?? null).match(/arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-gov)?-[a-z]+-\d):/);
  return found?.[1];
}

/** Judges a CreateExperimentTemplate document named `name` (a file or library name). */
export function judgeFisDocument(name: string, doc: unknown, opts: FisJudgeOptions = {}): FisJudgement {
  const issues: FisTemplateIssue[] = [];
  const notes: FisTemplateIssue[] = [];
  for (const p of findPlaceholders(doc)) {
    issues.push({
      template: name,
      path: p.path,
      kind: 'placeholder',
      message: `${JSON.stringify(p.text)} (${p.form}) is a placeholder${p.inKey ? ' in a key' : ''}; replace it with the real value`,
    });
  }
  const fis = checkFisDocument(doc);
  issues.push(...fis.issues.map((f) => ({ template: name, kind: 'fis' as const, ...f })));
  notes.push(...fis.notes.map((f) => ({ template: name, kind: 'note' as const, ...f })));
  if (!opts.runbook) return { issues, notes };
  const region = opts.region ?? regionOfDocument(doc) ?? opts.runbook.blastRadius.regions[0]!;
  issues.push(...checkFisPolicy(doc, opts.runbook, region).map((f) => ({ template: name, kind: 'policy' as const, ...f })));
  if (
    isObject(doc) &&
    typeof doc.roleArn === 'string' &&
    parseArn(doc.roleArn) &&
    opts.runbook.fis &&
    doc.roleArn !== opts.runbook.fis.roleArn
  ) {
    notes.push({ template: name, path: '$.roleArn', kind: 'note', message: `not the runbook's fis.roleArn (${opts.runbook.fis.roleArn})` });
  }
  return { issues, notes, region };
}

/**
 * Validates a rendered template against the FIS catalog and the runbook's policy, before any AWS
 * call. Returns every refusal (empty = valid): placeholders, not valid FIS, refused by policy.
 */
export function validateFisTemplate(t: RenderedFisTemplate, rb: Runbook): FisTemplateIssue[] {
  return judgeFisDocument(t.name, t.input, { runbook: rb, region: t.region }).issues;
}
