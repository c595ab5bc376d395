/** Validating a rendered FIS template before any AWS call: catalog, blast radius, targets, parameters, durations. */
import type { Runbook } from '../schema';
import {
  FIS_ACTIONS,
  FIS_RESOURCE_TYPES,
  FIS_TARGET_PARAMETERS,
  arnServiceOf,
  parseIsoDuration,
  type FisParameterSpec,
} from '../fis-catalog';
import { auroraClusterArn, regionOfAz, replicationGroupArn, type FisTemplateIssue, type RenderedFisTemplate } from './library';
import { isObject } from './json-values';

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
  const known = new Set([
    'description',
    'roleArn',
    'targets',
    'actions',
    'stopConditions',
    'tags',
    'experimentOptions',
    'logConfiguration',
  ]);
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
    add(
      '$.roleArn',
      `role account ${parseArn(doc.roleArn)!.account} is outside blastRadius.accounts (${[...blast.accounts].join(', ')}); use the runbook's fis.roleArn`,
    );
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
            add(
              kpath,
              `target ${JSON.stringify(ref)} is not defined in $.targets; define it or use one of ${Object.keys(targets ?? {}).join(', ') || '(none)'}`,
            );
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
          add(
            `$.targets.${ref}.resourceType`,
            `action ${name} (${id}) needs resource type ${want} for ${key}, but target ${ref} is ${targetTypes.get(ref)}; set resourceType to ${want}`,
          );
        }
      }
      if (spec) {
        for (const key of Object.keys(spec.targets)) {
          if (!(key in refs))
            add(`${path}.targets`, `action ${id} needs target key "${key}" (${spec.targets[key]}); add "${key}": "<target name>"`);
        }
      }
    }
    if (action.startAfter !== undefined) {
      if (!Array.isArray(action.startAfter)) add(`${path}.startAfter`, 'expected a list of action names');
      else
        action.startAfter.forEach((ref, i) => {
          if (typeof ref !== 'string' || !actions || !(ref in actions)) {
            add(
              `${path}.startAfter[${i}]`,
              `startAfter refers to unknown action ${JSON.stringify(ref)}; use one of ${Object.keys(actions ?? {})
                .filter((a) => a !== name)
                .join(', ')}`,
            );
          } else if (ref === name) add(`${path}.startAfter[${i}]`, 'an action cannot start after itself; remove it');
        });
    }
  }
  if (actions) {
    const cycle = findCycle(actions);
    if (cycle) add(`$.actions.${cycle[0]}.startAfter`, `startAfter forms a cycle (${cycle.join(' → ')}); break it`);
  }
  for (const name of Object.keys(targets ?? {})) {
    if (!usedTargets.has(name))
      add(`$.targets.${name}`, `target ${name} is not used by any action; remove it or reference it from an action's targets`);
  }

  // Stop conditions.
  const stops = doc.stopConditions;
  if (!Array.isArray(stops) || stops.length === 0) {
    add(
      '$.stopConditions',
      `no stop condition; a game day needs at least one CloudWatch alarm: add one to the runbook's alarms.stopConditions`,
    );
  } else {
    stops.forEach((s, i) => {
      const path = `$.stopConditions[${i}]`;
      if (!isObject(s)) return add(path, 'expected {source, value}');
      if (s.source === 'none')
        return add(
          `${path}.source`,
          'source "none" runs the fault with no brake; use "aws:cloudwatch:alarm" with an alarm from alarms.stopConditions',
        );
      if (s.source !== 'aws:cloudwatch:alarm')
        return add(`${path}.source`, `unknown source ${JSON.stringify(s.source)}; use "aws:cloudwatch:alarm"`);
      const arn = typeof s.value === 'string' ? parseArn(s.value) : undefined;
      if (!arn || arn.service !== 'cloudwatch' || !arn.resource.startsWith('alarm:')) {
        return add(`${path}.value`, 'expected a CloudWatch alarm ARN (arn:aws:cloudwatch:<region>:<account>:alarm:<name>)');
      }
      const alarm = arn.resource.slice('alarm:'.length);
      if (!rb.alarms.stopConditions.includes(alarm)) {
        add(
          `${path}.value`,
          `alarm "${alarm}" is not one of the runbook's alarms.stopConditions (${rb.alarms.stopConditions.join(', ') || 'none'}); add it there or use one of them`,
        );
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
  for (const k of Object.keys(target))
    if (!known.has(k)) add(`${path}.${k}`, `unknown field "${k}"; remove it (allowed: ${[...known].join(', ')})`);
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
        if (typeof type === 'string' && parsed.service !== arnServiceOf(type))
          add(p, `a ${type} target needs an ${arnServiceOf(type)} ARN, got ${parsed.service}`);
        checkArnPlacement(p, parsed, blast, add);
        if (!blast.namedArns.has(a as string)) {
          add(
            p,
            `${a as string} is outside the blast radius: not a resource the runbook names (aurora.members, elasticache.replicationGroups, fis.subnetArns); add it to the runbook or target by tag`,
          );
        }
      });
    }
  } else if (tags === undefined) {
    add(
      path,
      `target selects by neither resourceArns nor resourceTags, i.e. every ${String(type)} in the account; outside the blast radius: add resourceTags ${JSON.stringify(blast.requiredTags)}`,
    );
  }
  if (tags !== undefined) {
    if (!isObject(tags)) add(`${path}.resourceTags`, 'expected an object of tag key → value');
    else {
      for (const [k, v] of Object.entries(blast.requiredTags)) {
        if (tags[k] !== v)
          add(
            `${path}.resourceTags`,
            `target is outside the blast radius: resourceTags must include ${k}=${v} (runbook fis.targetTag / blastRadius.requiredTags)`,
          );
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
    if (spec.required && params[name] === undefined)
      add(
        `${path}.${name}`,
        `${owner} needs parameter ${name}; add it${spec.check.kind === 'duration' ? ' (ISO-8601, e.g. "PT10M")' : ''}`,
      );
  }
  for (const [name, value] of Object.entries(params)) {
    const p = `${path}.${name}`;
    const spec = specs[name];
    if (!spec) {
      add(
        p,
        `${owner} has no parameter "${name}"; ${Object.keys(specs).length ? `use one of ${Object.keys(specs).join(', ')}` : 'remove it'}`,
      );
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
        if (!/^\d+$/.test(value) || Number(value) < c.min || Number(value) > c.max)
          add(p, `expected an integer ${c.min}–${c.max}, got "${value}"`);
        break;
      case 'region':
        if (!blast.regions.has(value))
          add(p, `region ${value} is outside blastRadius.regions (${[...blast.regions].join(', ')}); use one of them`);
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
  if (region !== blast.region)
    add(path, `AZ ${String(az)} is not in the template's region ${blast.region}; target an AZ of ${blast.region}`);
}

function checkArnPlacement(path: string, arn: ParsedArn, blast: BlastRadius, add: Add): void {
  if (!blast.accounts.has(arn.account))
    add(path, `account ${arn.account} is outside blastRadius.accounts (${[...blast.accounts].join(', ')})`);
  if (arn.region && arn.region !== blast.region) {
    add(
      path,
      `region ${arn.region} is not the template's region ${blast.region}${blast.regions.has(arn.region) ? '' : ` and outside blastRadius.regions (${[...blast.regions].join(', ')})`}; FIS templates are regional`,
    );
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
    const deps =
      isObject(a) && Array.isArray(a.startAfter)
        ? a.startAfter.filter((s): s is string => typeof s === 'string' && s in actions && s !== name)
        : [];
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

function fmtMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
