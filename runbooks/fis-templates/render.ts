/**
 * Rendering a library template for one runbook and one AZ: resolving the `{{placeholders}}`,
 * dropping `$requires` targets the runbook lacks, and choosing the templates that apply.
 */
import type { FisTemplateDocument } from './document';
import type { Runbook } from '../schema';
import {
  DEFAULT_FIS_DURATION,
  FisTemplateError,
  alarmArn,
  auroraClusterArn,
  listFisTemplateNames,
  loadFisTemplateFile,
  managedTags,
  regionOfAz,
  replicationGroupArn,
  runbookKey,
  type FisNeed,
  type FisRenderOptions,
  type FisTemplateIssue,
  type RenderedFisTemplate,
} from './library';
import { isObject, omitKey } from './json-values';
import { validateFisTemplate } from './validate';

interface RenderFacts {
  readonly region: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly has: Readonly<Record<FisNeed, string | undefined>>;
}

/** Explains, per need, which runbook field is missing (undefined = satisfied). */
function renderFacts(name: string, rb: Runbook, opts: FisRenderOptions): RenderFacts {
  const region = regionOfAz(opts.az);
  if (!region)
    throw new FisTemplateError([{ template: name, path: '--az', message: `"${opts.az}" is not an AZ name; pass one such as us-east-1a` }]);
  if (!rb.blastRadius.regions.includes(region)) {
    throw new FisTemplateError([
      {
        template: name,
        path: '--az',
        message: `AZ ${opts.az} is in ${region}, outside the runbook's blastRadius.regions (${rb.blastRadius.regions.join(', ')}); pick an AZ there`,
      },
    ]);
  }
  if (!rb.fis) {
    throw new FisTemplateError([
      {
        template: name,
        path: 'runbook.fis',
        message: `runbook ${runbookKey(rb)} has no fis section; add fis.roleArn and fis.targetTag to run FIS experiments`,
      },
    ]);
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
      elasticache:
        groups.length > 0 ? undefined : `the runbook has no ElastiCache replication group in ${region} (elasticache.replicationGroups)`,
      autoScalingGroups:
        rb.fis.autoScalingGroups.length > 0 ? undefined : 'the runbook lists no Auto Scaling groups (fis.autoScalingGroups)',
      subnetArns: subnets.length > 0 ? undefined : `the runbook lists no subnets for ${opts.az} (fis.subnetArns.${opts.az})`,
      peerRegion: peer ? undefined : 'blastRadius.regions lists no second region to cut off',
    },
  };
}

const WHOLE = /^\{\{([A-Za-z]+)\}\}$/;
const INNER = /\{\{([A-Za-z]+)\}\}/g;

function substitute(
  value: unknown,
  values: Readonly<Record<string, unknown>>,
  path: string,
  template: string,
  issues: FisTemplateIssue[],
): unknown {
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
      issues.push({
        template,
        path,
        message:
          v === undefined
            ? `unknown placeholder ${text}; known: ${Object.keys(values).join(', ')}`
            : `placeholder ${text} is a list or object; use it as the whole value ("${text}")`,
      });
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
export function renderFisTemplateObject(
  name: string,
  raw: Record<string, unknown>,
  rb: Runbook,
  opts: FisRenderOptions,
): RenderedFisTemplate {
  const facts = renderFacts(name, rb, opts);
  const meta = isObject(raw.$gameday) ? raw.$gameday : {};
  const requires = Array.isArray(meta.requires) ? (meta.requires as string[]) : [];
  const issues: FisTemplateIssue[] = [];
  for (const need of requires) {
    if (!(need in facts.has)) {
      issues.push({
        template: name,
        path: '$.$gameday.requires',
        message: `unknown need "${need}"; use one of ${Object.keys(facts.has).join(', ')}`,
      });
      continue;
    }
    const missing = facts.has[need as FisNeed];
    if (missing)
      issues.push({
        template: name,
        path: '$.$gameday.requires',
        message: `template does not apply to runbook ${runbookKey(rb)}: ${missing}`,
      });
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
        issues.push({
          template: name,
          path: `$.targets.${tname}.$requires`,
          message: `unknown need "${need}"; use one of ${Object.keys(facts.has).join(', ')}`,
        });
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
        const kept = a.startAfter.filter(
          (s) => typeof s !== 'string' || s in actions || !omitted.some((o) => o.startsWith(`action ${s}:`)),
        );
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
    input: rendered as FisTemplateDocument,
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
