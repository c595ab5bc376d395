/**
 * Contract of FIS template management (`fisTemplatesWorkflow`, and the template step of the AZ-loss
 * game day): the input, a rendered template with where it goes, what a lookup and an apply found,
 * and the workflow's result. Types only: workflows, activities and the CLI import them.
 */
import type { RenderedFisTemplate } from '../runbooks/fis-templates';

/**
 * Input of `fisTemplatesWorkflow`. From the Temporal UI: `{"runbook":"payments-prod","az":"us-east-1a","mode":"diff"}`.
 * Validated in its first activity (`prepareFisTemplates`).
 */
export interface FisTemplatesInput {
  readonly runbook?: string;
  readonly runbookYaml?: string;
  readonly az: string;
  /** Template names; default: the runbook's fis.templates, else every template that applies. */
  readonly templates?: readonly string[];
  readonly duration?: string;
  /** `diff` only reads; `apply` creates or updates. @default apply */
  readonly mode?: 'diff' | 'apply';
}

/** A rendered template plus where to put it. */
export interface PreparedFisTemplate {
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly input: RenderedFisTemplate['input'];
}

/** Where a deployed template stands against the rendered one. */
export interface FisTemplateLookup {
  readonly name: string;
  readonly region: string;
  /** Deployed template id, when one carries our tags. */
  readonly id?: string;
  /** `diffFisTemplates(rendered, deployed)`; every line of a new template when none is deployed. */
  readonly differences: readonly string[];
}

/** Outcome of applying one template. */
export interface FisTemplateApplied {
  readonly name: string;
  readonly region: string;
  readonly id: string;
  readonly action: 'created' | 'updated' | 'unchanged';
}

/** What happened to one template in `fisTemplatesWorkflow`. */
export interface FisTemplateOutcome {
  readonly name: string;
  readonly region: string;
  /** Deployed id (absent for `would-create`). */
  readonly id?: string;
  readonly action: 'created' | 'updated' | 'unchanged' | 'would-create' | 'would-update';
  /** Rendered vs deployed before the action (`+`, `-`, `~` lines). */
  readonly differences: readonly string[];
}

/** Result of `fisTemplatesWorkflow`. */
export interface FisTemplatesResult {
  readonly mode: 'diff' | 'apply';
  /** `running` in the answer of the `report` query while the run goes; absent on the result. */
  readonly outcome?: 'running';
  readonly templates: readonly FisTemplateOutcome[];
}
