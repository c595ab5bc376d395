/**
 * The FIS experiment template library (`runbooks/fis/*.json`): loading, rendering a template for
 * one runbook and one AZ, validating the result before any AWS call, and diffing it with what is
 * deployed. Pure code (no AWS): the CLI renders and validates locally, the worker re-renders in an
 * activity before it applies.
 *
 * A template file is a CreateExperimentTemplate JSON document with placeholders:
 * - a string that is exactly `"{{name}}"` is replaced by the value (which may be an array or object:
 *   `{{stopConditions}}`, `{{targetTags}}`, `{{auroraClusterArns}}`, `{{replicationGroupArns}}`,
 *   `{{subnetArns}}`, `{{tags}}`);
 * - `{{name}}` inside a longer string is interpolated (`{{az}}`, `{{region}}`, `{{peerRegion}}`,
 *   `{{account}}`, `{{runbook}}`, `{{roleArn}}`, `{{duration}}`, `{{template}}`);
 * - `"$gameday": { "summary", "requires": [...] }` at the top says what the template needs from the
 *   runbook (`aurora`, `elasticache`, `autoScalingGroups`, `subnetArns`, `peerRegion`);
 * - `"$requires": "<need>"` inside a target drops that target, the actions using it and the
 *   `startAfter` references to them when the runbook lacks it (e.g. no ElastiCache in the region).
 *
 * Validation gives two judgements (`check-fis`: not valid FIS; `check-policy`: valid FIS refused by
 * the runbook's `fis.policy`) plus placeholders left in the document, each issue tagged with its kind.
 * Any CreateExperimentTemplate document can be judged (`judgeFisDocument`) and imported into the
 * library (`toLibraryTemplate`).
 *
 * The code lives in `runbooks/fis-templates/` (library, render, check-fis, check-policy,
 * placeholders, validate, import, diff); this module re-exports its public API.
 */
export {
  DEFAULT_FIS_DURATION,
  FIS_TEMPLATE_DIR,
  FisTemplateError,
  GAMEDAY_MANAGED_TAG,
  alarmArn,
  auroraClusterArn,
  formatFisIssue,
  listFisTemplateNames,
  loadFisTemplateFile,
  managedTags,
  regionOfAz,
  replicationGroupArn,
  runbookKey,
  type FisIssueKind,
  type FisNeed,
  type FisRenderOptions,
  type FisTemplateIssue,
  type RenderedFisTemplate,
} from './fis-templates/library';
export { applicableFisTemplates, renderFisTemplate, renderFisTemplateObject, renderValidFisTemplate } from './fis-templates/render';
export { judgeFisDocument, regionOfDocument, validateFisTemplate, type FisJudgeOptions, type FisJudgement } from './fis-templates/validate';
export { findPlaceholders, type FoundPlaceholder } from './fis-templates/placeholders';
export { toLibraryTemplate, type ImportedFisTemplate } from './fis-templates/import';
export type * from './fis-templates/document';
export { diffFisTemplates } from './fis-templates/diff';
