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
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FisExperimentTemplateInput } from '../activities/aws/ports';
import type { Runbook } from './schema';
import {
  FIS_ACTIONS,
  FIS_RESOURCE_TYPES,
  FIS_TARGET_PARAMETERS,
  arnServiceOf,
  parseIsoDuration,
  type FisParameterSpec,
} from './fis-catalog';

/** Folder of the template library. */
export const FIS_TEMPLATE_DIR = resolve(__dirname, 'fis');

/** Tag every template gameday creates carries; `apply` finds its own templates by it. */
export const GAMEDAY_MANAGED_TAG = 'gameday-managed';

/** Default fault duration of the library's actions (the FIS scenario's 30 min outage). */
export const DEFAULT_FIS_DURATION = 'PT30M';

/** One problem in a template: which template, where (JSON path), what is wrong and the fix. */
export interface FisTemplateIssue {
  readonly template: string;
  /** JSON path such as `$.actions.Failover-RDS.actionId` or `$.stopConditions[0].value`. */
  readonly path: string;
  readonly message: string;
}

/** Thrown when a template cannot be loaded, rendered or validated; `issues` lists every problem. */
export class FisTemplateError extends Error {
  override readonly name = 'FisTemplateError';
  constructor(readonly issues: readonly FisTemplateIssue[]) {
    super(issues.map(formatFisIssue).join('\n'));
  }
}

/** `template: path: message`. */
export function formatFisIssue(i: FisTemplateIssue): string {
  return `${i.template}: ${i.path}: ${i.message}`;
}

/** What a template needs from the runbook. */
export type FisNeed = 'aurora' | 'elasticache' | 'autoScalingGroups' | 'subnetArns' | 'peerRegion';

/** Options of a render. */
export interface FisRenderOptions {
  /** AZ name the fault targets, e.g. `us-east-1a`; its region is the template's region. */
  readonly az: string;
  /** ISO-8601 fault duration. @default PT30M */
  readonly duration?: string;
  /** Folder of the template files. @default FIS_TEMPLATE_DIR */
  readonly dir?: string;
}

/** A template rendered for one runbook and AZ, ready for validation and `CreateExperimentTemplate`. */
export interface RenderedFisTemplate {
  /** Library name (file stem), e.g. `az-power-interruption`. */
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly az: string;
  /** Runbook key `<service>-<environment>`. */
  readonly runbook: string;
  /** Targets/actions left out because the runbook lacks what they need (with the reason). */
  readonly omitted: readonly string[];
  readonly input: FisExperimentTemplateInput;
}

/** Names of the library's templates (file stems), sorted. */
export function listFisTemplateNames(dir = FIS_TEMPLATE_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

/** Reads one template file as raw JSON (placeholders unresolved). */
export function loadFisTemplateFile(name: string, dir = FIS_TEMPLATE_DIR): Record<string, unknown> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new FisTemplateError([{ template: name, path: '$', message: 'expected a template name such as "az-power-interruption" (a file stem of runbooks/fis, no path)' }]);
  }
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) {
    throw new FisTemplateError([{ template: name, path: '$', message: `no template named "${name}" in ${dir}; known: ${listFisTemplateNames(dir).join(', ')}` }]);
  }
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isObject(value)) throw new Error('the file is not a JSON object');
    return value;
  } catch (err) {
    throw new FisTemplateError([{ template: name, path: '$', message: `not valid JSON: ${(err as Error).message}` }]);
  }
}

/** The runbook key used in names and tags: `<service>-<environment>`. */
export function runbookKey(rb: Runbook): string {
  return `${rb.service}-${rb.environment}`;
}

/** The region of an AZ name (`us-east-1a` → `us-east-1`); undefined when it is not an AZ name. */
export function regionOfAz(az: string): string | undefined {
  const m = /^([a-z]{2}(?:-gov)?-[a-z]+-\d)[a-z]$/.exec(az);
  return m?.[1];
}

/** Tags of a template gameday manages; `apply` finds the deployed copy by them. */
export function managedTags(template: string, rb: Runbook, az: string): Record<string, string> {
  return { [GAMEDAY_MANAGED_TAG]: 'true', 'gameday-template': template, 'gameday-runbook': runbookKey(rb), 'gameday-az': az };
}

/** Cluster ARN of an Aurora cluster id. */
export function auroraClusterArn(region: string, account: string, clusterId: string): string {
  return `arn:aws:rds:${region}:${account}:cluster:${clusterId}`;
}

/** ARN of an ElastiCache replication group. */
export function replicationGroupArn(region: string, account: string, id: string): string {
  return `arn:aws:elasticache:${region}:${account}:replicationgroup:${id}`;
}

/** ARN of a CloudWatch alarm. */
export function alarmArn(region: string, account: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;
}

interface RenderFacts {
  readonly region: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly has: Readonly<Record<FisNeed, string | undefined>>;
}

/** Explains, per need, which runbook field is missing (undefined = satisfied). */
function renderFacts(name: string, rb: Runbook, opts: FisRenderOptions): RenderFacts {
  const region = regionOfAz(opts.az);
  if (!region) throw new FisTemplateError([{ template: name, path: '--az', message: `"${opts.az}" is not an AZ name; pass one such as us-east-1a` }]);
  if (!rb.blastRadius.regions.includes(region)) {
    throw new FisTemplateError([{ template: name, path: '--az', message: `AZ ${opts.az} is in ${region}, outside the runbook's blastRadius.regions (${rb.blastRadius.regions.join(', ')}); pick an AZ there` }]);
  }
  if (!rb.fis) {
    throw new FisTemplateError([{ template: name, path: 'runbook.fis', message: `runbook ${runbookKey(rb)} has no fis section; add fis.roleArn and fis.targetTag to run FIS experiments` }]);
  }
  const account = rb.account;
  const member = rb.aurora?.members.find((m) => m.region === region);
  const groups = rb.elasticache.replicationGroups.filter((g) => g.region === region);
  const subnets = rb.fis.subnetArns[opts.az] ?? [];
  const peer = rb.blastRadius.regions.find((r) => r !== region);
  const duration = opts.duration ?? DEFAULT_FIS_DURATION;
  const values: Record<string, unknown> = {
    runbook: runbookKey(rb),
    template: name,
    service: rb.service,
    environment: rb.environment,
    account,
    region,
    az: opts.az,
    peerRegion: peer ?? '',
    roleArn: rb.fis.roleArn,
    duration,
    targetTags: { ...rb.blastRadius.requiredTags, [rb.fis.targetTag.key]: rb.fis.targetTag.value },
    auroraClusterArns: member ? [auroraClusterArn(region, account, member.clusterId)] : [],
    replicationGroupArns: groups.map((g) => replicationGroupArn(region, account, g.id)),
    subnetArns: subnets,
    stopConditions: rb.alarms.stopConditions.map((a) => ({ source: 'aws:cloudwatch:alarm', value: alarmArn(region, account, a) })),
    tags: managedTags(name, rb, opts.az),
  };
  return {
    region,
    values,
    has: {
      aurora: member ? undefined : `the runbook has no aurora member in ${region} (aurora.members)`,
      elasticache: groups.length > 0 ? undefined : `the runbook has no ElastiCache replication group in ${region} (elasticache.replicationGroups)`,
      autoScalingGroups: rb.fis.autoScalingGroups.length > 0 ? undefined : 'the runbook lists no Auto Scaling groups (fis.autoScalingGroups)',
      subnetArns: subnets.length > 0 ? undefined : `the runbook lists no subnets for ${opts.az} (fis.subnetArns.${opts.az})`,
      peerRegion: peer ? undefined : 'blastRadius.regions lists no second region to cut off',
    },
  };
}

const WHOLE = /^\{\{([A-Za-z]+)\}\}$/;
const INNER = /\{\{([A-Za-z]+)\}\}/g;

function substitute(value: unknown, values: Readonly<Record<string, unknown>>, path: string, template: string, issues: FisTemplateIssue[]): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) {
      if (!(whole[1]! in values)) {
        issues.push({ template, path, message: `unknown placeholder {{${whole[1]}}}; known: ${Object.keys(values).join(', ')}` });
        return value;
      }
      return values[whole[1]!];
    }
    return value.replace(INNER, (text, key: string) => {
      const v = values[key];
      if (typeof v === 'string') return v;
      issues.push({ template, path, message: v === undefined ? `unknown placeholder ${text}; known: ${Object.keys(values).join(', ')}` : `placeholder ${text} is a list or object; use it as the whole value ("${text}")` });
      return text;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, values, `${path}[${i}]`, template, issues));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = substitute(k, values, path, template, issues) as string;
      out[key] = substitute(v, values, `${path}.${key}`, template, issues);
    }
    return out;
  }
  return value;
}

/**
 * Renders one library template for a runbook and AZ. Throws `FisTemplateError` when the template
 * does not apply to the runbook (saying which runbook field is missing) or has unknown placeholders.
 * The result is not yet validated: call `validateFisTemplate` (or use `renderValidFisTemplate`).
 */
export function renderFisTemplate(name: string, rb: Runbook, opts: FisRenderOptions): RenderedFisTemplate {
  const raw = loadFisTemplateFile(name, opts.dir);
  return renderFisTemplateObject(name, raw, rb, opts);
}

/** Renders an in-memory template document (same rules as a library file). */
export function renderFisTemplateObject(name: string, raw: Record<string, unknown>, rb: Runbook, opts: FisRenderOptions): RenderedFisTemplate {
  const facts = renderFacts(name, rb, opts);
  const meta = isObject(raw.$gameday) ? raw.$gameday : {};
  const requires = Array.isArray(meta.requires) ? (meta.requires as string[]) : [];
  const issues: FisTemplateIssue[] = [];
  for (const need of requires) {
    if (!(need in facts.has)) {
      issues.push({ template: name, path: '$.$gameday.requires', message: `unknown need "${need}"; use one of ${Object.keys(facts.has).join(', ')}` });
      continue;
    }
    const missing = facts.has[need as FisNeed];
    if (missing) issues.push({ template: name, path: '$.$gameday.requires', message: `template does not apply to runbook ${runbookKey(rb)}: ${missing}` });
  }
  if (issues.length > 0) throw new FisTemplateError(issues);

  const doc = { ...raw };
  delete doc.$gameday;
  const omitted: string[] = [];
  // Optional targets: drop those whose need is missing, with the actions using them.
  const targets = isObject(doc.targets) ? { ...doc.targets } : undefined;
  const actions = isObject(doc.actions) ? { ...doc.actions } : undefined;
  if (targets) {
    for (const [tname, t] of Object.entries(targets)) {
      if (!isObject(t) || t.$requires === undefined) continue;
      const need = String(t.$requires);
      if (!(need in facts.has)) {
        issues.push({ template: name, path: `$.targets.${tname}.$requires`, message: `unknown need "${need}"; use one of ${Object.keys(facts.has).join(', ')}` });
        continue;
      }
      const missing = facts.has[need as FisNeed];
      const { $requires: _drop, ...rest } = t;
      if (!missing) {
        targets[tname] = rest;
        continue;
      }
      delete targets[tname];
      omitted.push(`target ${tname}: ${missing}`);
      for (const [aname, a] of Object.entries(actions ?? {})) {
        if (isObject(a) && isObject(a.targets) && Object.values(a.targets).includes(tname)) {
          delete actions![aname];
          omitted.push(`action ${aname}: uses target ${tname}`);
        }
      }
    }
    doc.targets = targets;
  }
  if (actions) {
    for (const [aname, a] of Object.entries(actions)) {
      if (isObject(a) && Array.isArray(a.startAfter)) {
        const kept = a.startAfter.filter((s) => typeof s !== 'string' || s in actions || !omitted.some((o) => o.startsWith(`action ${s}:`)));
        actions[aname] = kept.length > 0 ? { ...a, startAfter: kept } : omitKey(a, 'startAfter');
      }
    }
    doc.actions = actions;
  }
  if (issues.length > 0) throw new FisTemplateError(issues);
  const rendered = substitute(doc, facts.values, '$', name, issues);
  if (issues.length > 0) throw new FisTemplateError(issues);
  return {
    name,
    region: facts.region,
    account: rb.account,
    az: opts.az,
    runbook: runbookKey(rb),
    omitted,
    input: rendered as FisExperimentTemplateInput,
  };
}

/** Renders and validates; throws `FisTemplateError` listing every issue. */
export function renderValidFisTemplate(name: string, rb: Runbook, opts: FisRenderOptions): RenderedFisTemplate {
  const rendered = renderFisTemplate(name, rb, opts);
  const issues = validateFisTemplate(rendered, rb);
  if (issues.length > 0) throw new FisTemplateError(issues);
  return rendered;
}

/** Names of the library templates that apply to a runbook (its `fis.templates` when set, else all that render). */
export function applicableFisTemplates(rb: Runbook, opts: FisRenderOptions): { name: string; skipped?: string }[] {
  const names = rb.fis && rb.fis.templates.length > 0 ? rb.fis.templates : listFisTemplateNames(opts.dir);
  return names.map((name) => {
    try {
      renderFisTemplate(name, rb, opts);
      return { name };
    } catch (err) {
      if (err instanceof FisTemplateError) return { name, skipped: err.issues.map((i) => i.message).join('; ') };
      throw err;
    }
  });
}

// ---------------------------------------------------------------- validation

/**
 * Validates a rendered template against the FIS catalog and the runbook's blast radius, before any
 * AWS call. Returns every issue (empty = valid). Checks: document shape, action ids, target keys and
 * resource types, required/unknown parameters and their values (ISO-8601 durations with bounds),
 * `startAfter` references and cycles, targets (selection mode, ARNs xor tags/filters, ≤5 ARNs,
 * target parameters), stop conditions (CloudWatch alarms of the runbook) and the blast radius
 * (accounts, regions, tagged or runbook-named resources only).
 */
export function validateFisTemplate(t: RenderedFisTemplate, rb: Runbook): FisTemplateIssue[] {
  const issues: FisTemplateIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ template: t.name, path, message });
  };
  const doc = t.input as unknown;
  if (!isObject(doc)) {
    add('$', 'expected a JSON object in the CreateExperimentTemplate shape');
    return issues;
  }
  const known = new Set(['description', 'roleArn', 'targets', 'actions', 'stopConditions', 'tags', 'experimentOptions', 'logConfiguration']);
  for (const k of Object.keys(doc)) if (!known.has(k)) add(`$.${k}`, `unknown field "${k}"; remove it (allowed: ${[...known].join(', ')})`);

  const unresolved = JSON.stringify(doc).match(/\{\{[^}]*\}\}/g);
  if (unresolved) add('$', `unresolved placeholder(s) ${[...new Set(unresolved)].join(', ')}; render the template from the library`);

  if (typeof doc.description !== 'string' || doc.description.length === 0 || doc.description.length > 512) {
    add('$.description', 'expected a description of 1–512 characters');
  }
  const blast = blastRadius(t, rb);
  if (typeof doc.roleArn !== 'string' || !ARN.test(doc.roleArn) || parseArn(doc.roleArn)?.service !== 'iam') {
    add('$.roleArn', 'expected the IAM role ARN FIS assumes (runbook fis.roleArn)');
  } else if (!blast.accounts.has(parseArn(doc.roleArn)!.account)) {
    add('$.roleArn', `role account ${parseArn(doc.roleArn)!.account} is outside blastRadius.accounts (${[...blast.accounts].join(', ')}); use the runbook's fis.roleArn`);
  }

  // Targets.
  const targets = isObject(doc.targets) ? doc.targets : undefined;
  if (doc.targets !== undefined && !targets) add('$.targets', 'expected an object of named targets');
  const targetTypes = new Map<string, string>();
  for (const [name, target] of Object.entries(targets ?? {})) {
    validateTarget(`$.targets.${name}`, target, blast, add, (type) => targetTypes.set(name, type));
  }

  // Actions.
  const actions = isObject(doc.actions) ? doc.actions : undefined;
  if (!actions || Object.keys(actions).length === 0) add('$.actions', 'expected at least one action');
  const usedTargets = new Set<string>();
  for (const [name, action] of Object.entries(actions ?? {})) {
    const path = `$.actions.${name}`;
    if (!isObject(action)) {
      add(path, 'expected an object with actionId, parameters, targets');
      continue;
    }
    const id = action.actionId;
    const spec = typeof id === 'string' ? FIS_ACTIONS[id] : undefined;
    if (!spec) {
      add(`${path}.actionId`, `unknown action id ${JSON.stringify(id)}; use one of ${Object.keys(FIS_ACTIONS).join(', ')}`);
    }
    const params = action.parameters === undefined ? {} : action.parameters;
    if (!isObject(params)) add(`${path}.parameters`, 'expected an object of string parameters');
    else if (spec) validateParameters(`${path}.parameters`, params, spec.parameters, `action ${id}`, blast, add);
    const refs = action.targets === undefined ? {} : action.targets;
    if (!isObject(refs)) add(`${path}.targets`, 'expected an object of target key → target name');
    else {
      for (const [key, ref] of Object.entries(refs)) {
        const kpath = `${path}.targets.${key}`;
        if (typeof ref !== 'string' || !targetTypes.has(ref)) {
          if (typeof ref !== 'string' || !(targets && ref in targets)) {
            add(kpath, `target ${JSON.stringify(ref)} is not defined in $.targets; define it or use one of ${Object.keys(targets ?? {}).join(', ') || '(none)'}`);
          }
          if (typeof ref === 'string') usedTargets.add(ref);
          continue;
        }
        usedTargets.add(ref);
        if (!spec) continue;
        const want = spec.targets[key];
        if (!want) {
          add(kpath, `action ${id} has no target key "${key}"; use ${Object.keys(spec.targets).join(', ') || 'no targets'}`);
        } else if (targetTypes.get(ref) !== want) {
          add(`$.targets.${ref}.resourceType`, `action ${name} (${id}) needs resource type ${want} for ${key}, but target ${ref} is ${targetTypes.get(ref)}; set resourceType to ${want}`);
        }
      }
      if (spec) {
        for (const key of Object.keys(spec.targets)) {
          if (!(key in refs)) add(`${path}.targets`, `action ${id} needs target key "${key}" (${spec.targets[key]}); add "${key}": "<target name>"`);
        }
      }
    }
    if (action.startAfter !== undefined) {
      if (!Array.isArray(action.startAfter)) add(`${path}.startAfter`, 'expected a list of action names');
      else
        action.startAfter.forEach((ref, i) => {
          if (typeof ref !== 'string' || !actions || !(ref in actions)) {
            add(`${path}.startAfter[${i}]`, `startAfter refers to unknown action ${JSON.stringify(ref)}; use one of ${Object.keys(actions ?? {}).filter((a) => a !== name).join(', ')}`);
          } else if (ref === name) add(`${path}.startAfter[${i}]`, 'an action cannot start after itself; remove it');
        });
    }
  }
  if (actions) {
    const cycle = findCycle(actions);
    if (cycle) add(`$.actions.${cycle[0]}.startAfter`, `startAfter forms a cycle (${cycle.join(' → ')}); break it`);
  }
  for (const name of Object.keys(targets ?? {})) {
    if (!usedTargets.has(name)) add(`$.targets.${name}`, `target ${name} is not used by any action; remove it or reference it from an action's targets`);
  }

  // Stop conditions.
  const stops = doc.stopConditions;
  if (!Array.isArray(stops) || stops.length === 0) {
    add('$.stopConditions', `no stop condition; a game day needs at least one CloudWatch alarm: add one to the runbook's alarms.stopConditions`);
  } else {
    stops.forEach((s, i) => {
      const path = `$.stopConditions[${i}]`;
      if (!isObject(s)) return add(path, 'expected {source, value}');
      if (s.source === 'none') return add(`${path}.source`, 'source "none" runs the fault with no brake; use "aws:cloudwatch:alarm" with an alarm from alarms.stopConditions');
      if (s.source !== 'aws:cloudwatch:alarm') return add(`${path}.source`, `unknown source ${JSON.stringify(s.source)}; use "aws:cloudwatch:alarm"`);
      const arn = typeof s.value === 'string' ? parseArn(s.value) : undefined;
      if (!arn || arn.service !== 'cloudwatch' || !arn.resource.startsWith('alarm:')) {
        return add(`${path}.value`, 'expected a CloudWatch alarm ARN (arn:aws:cloudwatch:<region>:<account>:alarm:<name>)');
      }
      const alarm = arn.resource.slice('alarm:'.length);
      if (!rb.alarms.stopConditions.includes(alarm)) {
        add(`${path}.value`, `alarm "${alarm}" is not one of the runbook's alarms.stopConditions (${rb.alarms.stopConditions.join(', ') || 'none'}); add it there or use one of them`);
      }
      checkArnPlacement(`${path}.value`, arn, blast, add);
    });
  }

  // Tags.
  if (doc.tags !== undefined && !isObject(doc.tags)) add('$.tags', 'expected an object of string tags');
  else if (isObject(doc.tags) && Object.keys(doc.tags).length > 50) add('$.tags', 'at most 50 tags');
  return issues;
}

interface BlastRadius {
  readonly accounts: ReadonlySet<string>;
  readonly regions: ReadonlySet<string>;
  readonly region: string;
  readonly requiredTags: Readonly<Record<string, string>>;
  /** ARNs of resources the runbook names (clusters, replication groups, subnets). */
  readonly namedArns: ReadonlySet<string>;
}

function blastRadius(t: RenderedFisTemplate, rb: Runbook): BlastRadius {
  const named = new Set<string>();
  for (const m of rb.aurora?.members ?? []) named.add(auroraClusterArn(m.region, rb.account, m.clusterId));
  for (const g of rb.elasticache.replicationGroups) named.add(replicationGroupArn(g.region, rb.account, g.id));
  for (const list of Object.values(rb.fis?.subnetArns ?? {})) list.forEach((a) => named.add(a));
  return {
    accounts: new Set(rb.blastRadius.accounts),
    regions: new Set(rb.blastRadius.regions),
    region: t.region,
    requiredTags: { ...rb.blastRadius.requiredTags, ...(rb.fis ? { [rb.fis.targetTag.key]: rb.fis.targetTag.value } : {}) },
    namedArns: named,
  };
}

type Add = (path: string, message: string) => void;

function validateTarget(path: string, target: unknown, blast: BlastRadius, add: Add, typed: (type: string) => void): void {
  if (!isObject(target)) return add(path, 'expected an object with resourceType, selectionMode and resourceArns or resourceTags');
  const known = new Set(['resourceType', 'resourceArns', 'resourceTags', 'filters', 'selectionMode', 'parameters']);
  for (const k of Object.keys(target)) if (!known.has(k)) add(`${path}.${k}`, `unknown field "${k}"; remove it (allowed: ${[...known].join(', ')})`);
  const type = target.resourceType;
  if (typeof type !== 'string' || !FIS_RESOURCE_TYPES.includes(type)) {
    add(`${path}.resourceType`, `unknown resource type ${JSON.stringify(type)}; use one of ${FIS_RESOURCE_TYPES.join(', ')}`);
  } else typed(type);
  if (typeof target.selectionMode !== 'string' || !/^(ALL|COUNT\([1-9]\d*\)|PERCENT\(([1-9]\d?|100)\))$/.test(target.selectionMode)) {
    add(`${path}.selectionMode`, 'expected ALL, COUNT(n) or PERCENT(n)');
  }
  const arns = target.resourceArns;
  const tags = target.resourceTags;
  const filters = target.filters;
  if (arns !== undefined && (tags !== undefined || filters !== undefined)) {
    add(`${path}.resourceArns`, 'FIS cannot combine resourceArns with resourceTags or filters; keep one way of selecting');
  }
  if (arns !== undefined) {
    if (!Array.isArray(arns) || arns.length === 0) add(`${path}.resourceArns`, 'expected 1–5 ARNs');
    else {
      if (arns.length > 5) add(`${path}.resourceArns`, `at most 5 ARNs per target (got ${arns.length}); split the target`);
      arns.forEach((a, i) => {
        const p = `${path}.resourceArns[${i}]`;
        const parsed = typeof a === 'string' ? parseArn(a) : undefined;
        if (!parsed) return add(p, 'expected an ARN');
        if (typeof type === 'string' && parsed.service !== arnServiceOf(type)) add(p, `a ${type} target needs an ${arnServiceOf(type)} ARN, got ${parsed.service}`);
        checkArnPlacement(p, parsed, blast, add);
        if (!blast.namedArns.has(a as string)) {
          add(p, `${a as string} is outside the blast radius: not a resource the runbook names (aurora.members, elasticache.replicationGroups, fis.subnetArns); add it to the runbook or target by tag`);
        }
      });
    }
  } else if (tags === undefined) {
    add(path, `target selects by neither resourceArns nor resourceTags, i.e. every ${String(type)} in the account; outside the blast radius: add resourceTags ${JSON.stringify(blast.requiredTags)}`);
  }
  if (tags !== undefined) {
    if (!isObject(tags)) add(`${path}.resourceTags`, 'expected an object of tag key → value');
    else {
      for (const [k, v] of Object.entries(blast.requiredTags)) {
        if (tags[k] !== v) add(`${path}.resourceTags`, `target is outside the blast radius: resourceTags must include ${k}=${v} (runbook fis.targetTag / blastRadius.requiredTags)`);
      }
    }
  }
  if (filters !== undefined) {
    if (!Array.isArray(filters)) add(`${path}.filters`, 'expected a list of {path, values}');
    else
      filters.forEach((f, i) => {
        if (!isObject(f) || typeof f.path !== 'string' || !Array.isArray(f.values) || f.values.length === 0) {
          add(`${path}.filters[${i}]`, 'expected {path: "Placement.AvailabilityZone", values: ["…"]}');
        } else if (f.path === 'Placement.AvailabilityZone') {
          f.values.forEach((v, j) => checkAz(`${path}.filters[${i}].values[${j}]`, v, blast, add));
        }
      });
  }
  if (target.parameters !== undefined) {
    if (!isObject(target.parameters)) add(`${path}.parameters`, 'expected an object of string parameters');
    else if (typeof type === 'string' && FIS_RESOURCE_TYPES.includes(type)) {
      validateParameters(`${path}.parameters`, target.parameters, FIS_TARGET_PARAMETERS[type] ?? {}, `resource type ${type}`, blast, add);
    }
  } else if (typeof type === 'string') {
    for (const [p, spec] of Object.entries(FIS_TARGET_PARAMETERS[type] ?? {})) {
      if (spec.required) add(`${path}.parameters`, `resource type ${type} needs parameter ${p}; add "parameters": {"${p}": "<AZ>"}`);
    }
  }
}

function validateParameters(
  path: string,
  params: Record<string, unknown>,
  specs: Readonly<Record<string, FisParameterSpec>>,
  owner: string,
  blast: BlastRadius,
  add: Add,
): void {
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && params[name] === undefined) add(`${path}.${name}`, `${owner} needs parameter ${name}; add it${spec.check.kind === 'duration' ? ' (ISO-8601, e.g. "PT10M")' : ''}`);
  }
  for (const [name, value] of Object.entries(params)) {
    const p = `${path}.${name}`;
    const spec = specs[name];
    if (!spec) {
      add(p, `${owner} has no parameter "${name}"; ${Object.keys(specs).length ? `use one of ${Object.keys(specs).join(', ')}` : 'remove it'}`);
      continue;
    }
    if (typeof value !== 'string') {
      add(p, 'FIS parameters are strings; quote the value');
      continue;
    }
    const c = spec.check;
    switch (c.kind) {
      case 'duration': {
        const ms = parseIsoDuration(value);
        if (ms === undefined) add(p, `"${value}" is not an ISO-8601 duration; write e.g. "PT10M" or "PT1H"`);
        else if (ms < c.minMs || ms > c.maxMs) add(p, `${value} is outside ${owner}'s range ${fmtMs(c.minMs)}–${fmtMs(c.maxMs)}`);
        break;
      }
      case 'boolean':
        if (value !== 'true' && value !== 'false') add(p, `expected "true" or "false", got "${value}"`);
        break;
      case 'enum':
        if (!c.values.includes(value)) add(p, `expected one of ${c.values.join(', ')}, got "${value}"`);
        break;
      case 'integer':
        if (!/^\d+$/.test(value) || Number(value) < c.min || Number(value) > c.max) add(p, `expected an integer ${c.min}–${c.max}, got "${value}"`);
        break;
      case 'region':
        if (!blast.regions.has(value)) add(p, `region ${value} is outside blastRadius.regions (${[...blast.regions].join(', ')}); use one of them`);
        break;
      case 'az-list':
        value.split(',').forEach((az) => checkAz(p, az.trim(), blast, add));
        break;
      case 'string':
        if (value.length === 0) add(p, 'expected a non-empty value');
        break;
    }
  }
}

function checkAz(path: string, az: unknown, blast: BlastRadius, add: Add): void {
  if (az === 'all' && path.endsWith('writerAvailabilityZoneIdentifiers')) return;
  const region = typeof az === 'string' ? regionOfAz(az) : undefined;
  if (!region) return add(path, `${JSON.stringify(az)} is not an AZ name; use one such as ${blast.region}a`);
  if (region !== blast.region) add(path, `AZ ${String(az)} is not in the template's region ${blast.region}; target an AZ of ${blast.region}`);
}

function checkArnPlacement(path: string, arn: ParsedArn, blast: BlastRadius, add: Add): void {
  if (!blast.accounts.has(arn.account)) add(path, `account ${arn.account} is outside blastRadius.accounts (${[...blast.accounts].join(', ')})`);
  if (arn.region && arn.region !== blast.region) {
    add(path, `region ${arn.region} is not the template's region ${blast.region}${blast.regions.has(arn.region) ? '' : ` and outside blastRadius.regions (${[...blast.regions].join(', ')})`}; FIS templates are regional`);
  }
}

function findCycle(actions: Record<string, unknown>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    const a = actions[name];
    const deps = isObject(a) && Array.isArray(a.startAfter) ? a.startAfter.filter((s): s is string => typeof s === 'string' && s in actions && s !== name) : [];
    for (const d of deps) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(actions)) {
    const c = visit(name);
    if (c) return c;
  }
  return undefined;
}

// ---------------------------------------------------------------- diff

/**
 * Differences between the rendered template and the deployed one, one line per changed leaf:
 * `+ path: value` (only rendered), `- path: value` (only deployed), `~ path: deployed → rendered`.
 * Empty when they are the same. Compares the CreateExperimentTemplate fields only (not ids).
 */
export function diffFisTemplates(rendered: FisExperimentTemplateInput, deployed: FisExperimentTemplateInput | undefined): string[] {
  const pick = (t: FisExperimentTemplateInput): Record<string, unknown> => ({
    description: t.description,
    roleArn: t.roleArn,
    targets: t.targets ?? {},
    actions: t.actions ?? {},
    stopConditions: t.stopConditions ?? [],
    tags: t.tags ?? {},
  });
  const out: string[] = [];
  walkDiff('$', normalize(pick(rendered)), deployed ? normalize(pick(deployed)) : {}, out);
  return out;
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(normalize);
    return items;
  }
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = v[k];
      // Empty collections and absent fields mean the same thing to FIS.
      if (x === undefined || (isObject(x) && Object.keys(x).length === 0) || (Array.isArray(x) && x.length === 0 && k !== 'stopConditions')) continue;
      out[k] = normalize(x);
    }
    return out;
  }
  return v;
}

function walkDiff(path: string, a: unknown, b: unknown, out: string[]): void {
  if (b === undefined && a !== undefined) return void out.push(`+ ${path}: ${JSON.stringify(a)}`);
  if (a === undefined && b !== undefined) return void out.push(`- ${path}: ${JSON.stringify(b)}`);
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walkDiff(`${path}.${k}`, a[k], b[k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && JSON.stringify(a) !== JSON.stringify(b)) {
    return void out.push(`~ ${path}: ${JSON.stringify(b)} → ${JSON.stringify(a)}`);
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`~ ${path}: ${JSON.stringify(b)} → ${JSON.stringify(a)}`);
}

// ---------------------------------------------------------------- helpers

const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/;

interface ParsedArn {
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

function parseArn(text: string): ParsedArn | undefined {
  if (!ARN.test(text)) return undefined;
  const [, , service, region, account, ...rest] = text.split(':');
  return { service: service!, region: region!, account: account!, resource: rest.join(':') };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function omitKey(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _drop, ...rest } = o;
  return rest;
}

function fmtMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
