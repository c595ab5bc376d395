/**
 * The "valid FIS, refused by gameday policy" judgement: the runbook's rules for templates (stop
 * conditions, blast radius, allowed actions, longest duration). Each refusal names its rule and the
 * runbook field that changes it. Runs on documents that may not be valid FIS: it skips what it cannot read.
 */
import { FIS_RESOURCE_TYPE_SPECS, formatMs, lookupFisAction, parseIsoDuration } from '../fis-catalog';
import type { FisPolicy, Runbook } from '../schema';
import { isAzIdentifier, parseArn, type ParsedArn } from './check-parameters';
import { childPath, indexPath } from './json-path';
import { isObject } from './json-values';
import { auroraClusterArn, regionOfAz, replicationGroupArn, runbookKey } from './library';

/** The policy rules, by id. */
export type FisPolicyRule = 'stop-condition-required' | 'stop-condition-alarms' | 'allowed-actions' | 'blast-radius' | 'max-duration';

/** A policy refusal. */
export interface FisPolicyFinding {
  readonly path: string;
  readonly rule: FisPolicyRule;
  readonly message: string;
}

/** The policy a runbook applies (its `fis.policy`, or the defaults). */
export function policyOf(rb: Runbook): FisPolicy {
  return rb.fis?.policy ?? { requireStopCondition: true, runbookAlarmsOnly: true, allowedActions: [], allowedArns: [] };
}

interface Scope {
  readonly rb: Runbook;
  readonly policy: FisPolicy;
  readonly region: string;
  readonly accounts: ReadonlySet<string>;
  readonly regions: ReadonlySet<string>;
  readonly requiredTags: Readonly<Record<string, string>>;
  readonly namedArns: ReadonlySet<string>;
  readonly key: string;
}

type Refuse = (path: string, rule: FisPolicyRule, message: string) => void;

/** Checks a template document against the runbook's policy, for a template of `region`. */
export function checkFisPolicy(doc: unknown, rb: Runbook, region: string): FisPolicyFinding[] {
  const out: FisPolicyFinding[] = [];
  if (!isObject(doc)) return out;
  const refuse: Refuse = (path, rule, message) => void out.push({ path, rule, message });
  const policy = policyOf(rb);
  const named = new Set<string>(policy.allowedArns);
  for (const m of rb.aurora?.members ?? []) named.add(auroraClusterArn(m.region, rb.account, m.clusterId));
  for (const g of rb.elasticache.replicationGroups) named.add(replicationGroupArn(g.region, rb.account, g.id));
  for (const list of Object.values(rb.fis?.subnetArns ?? {})) list.forEach((a) => named.add(a));
  if (rb.fis) named.add(rb.fis.roleArn);
  const scope: Scope = {
    rb,
    policy,
    region,
    accounts: new Set(rb.blastRadius.accounts),
    regions: new Set(rb.blastRadius.regions),
    requiredTags: { ...rb.blastRadius.requiredTags, ...(rb.fis ? { [rb.fis.targetTag.key]: rb.fis.targetTag.value } : {}) },
    namedArns: named,
    key: runbookKey(rb),
  };
  if (typeof doc.roleArn === 'string') {
    const arn = parseArn(doc.roleArn);
    if (arn && !scope.accounts.has(arn.account))
      refuse(
        '$.roleArn',
        'blast-radius',
        `role account ${arn.account} is outside blastRadius.accounts (${[...scope.accounts].join(', ')}); use the runbook's fis.roleArn`,
      );
  }
  checkStops(doc.stopConditions, scope, refuse);
  if (isObject(doc.targets))
    for (const [name, t] of Object.entries(doc.targets)) if (isObject(t)) checkTarget(childPath('$.targets', name), t, scope, refuse);
  if (isObject(doc.actions))
    for (const [name, a] of Object.entries(doc.actions)) if (isObject(a)) checkAction(childPath('$.actions', name), a, scope, refuse);
  return out;
}

function checkStops(stops: unknown, s: Scope, refuse: Refuse): void {
  if (!Array.isArray(stops)) return;
  const alarms = stops.filter((x) => isObject(x) && x.source === 'aws:cloudwatch:alarm');
  if (s.policy.requireStopCondition && alarms.length === 0) {
    const i = stops.findIndex((x) => isObject(x) && x.source === 'none');
    refuse(
      i >= 0 ? `${indexPath('$.stopConditions', i)}.source` : '$.stopConditions',
      'stop-condition-required',
      `source "none" runs the fault with no brake: a game day stops on a CloudWatch alarm; use "aws:cloudwatch:alarm" with an alarm of alarms.stopConditions, or set fis.policy.requireStopCondition: false in runbook ${s.key}`,
    );
  }
  stops.forEach((x, i) => {
    if (!isObject(x) || x.source !== 'aws:cloudwatch:alarm' || typeof x.value !== 'string') return;
    const arn = parseArn(x.value);
    if (!arn) return;
    const path = `${indexPath('$.stopConditions', i)}.value`;
    const alarm = arn.resource.replace(/^alarm:/, '');
    if (s.policy.runbookAlarmsOnly && !s.rb.alarms.stopConditions.includes(alarm))
      refuse(
        path,
        'stop-condition-alarms',
        `alarm "${alarm}" is not one of the runbook's alarms.stopConditions (${s.rb.alarms.stopConditions.join(', ') || 'none'}); add it there, use one of them, or set fis.policy.runbookAlarmsOnly: false`,
      );
    placement(path, arn, s, refuse);
  });
}

/** Refuses an ARN in an account or region outside the blast radius. */
function placement(path: string, arn: ParsedArn, s: Scope, refuse: Refuse): void {
  if (arn.account && arn.account !== 'aws' && !s.accounts.has(arn.account))
    refuse(
      path,
      'blast-radius',
      `account ${arn.account} is outside blastRadius.accounts (${[...s.accounts].join(', ')}); add it there or target this account`,
    );
  if (arn.region && arn.region !== s.region)
    refuse(
      path,
      'blast-radius',
      `region ${arn.region} is not the template's region ${s.region}${s.regions.has(arn.region) ? '' : ` and outside blastRadius.regions (${[...s.regions].join(', ')})`}; FIS templates are regional`,
    );
}

function checkAz(path: string, az: unknown, s: Scope, refuse: Refuse): void {
  if (typeof az !== 'string' || az === 'all') return;
  for (const one of az.split(',').map((x) => x.trim())) {
    const region = regionOfAz(one);
    // AZ IDs (use1-az1) do not name their region; only AZ names can be checked.
    if (!region && isAzIdentifier(one)) continue;
    if (region && region !== s.region)
      refuse(path, 'blast-radius', `AZ ${one} is not in the template's region ${s.region}; target an AZ of ${s.region}`);
  }
}

function checkTarget(path: string, t: Record<string, unknown>, s: Scope, refuse: Refuse): void {
  const type = typeof t.resourceType === 'string' ? t.resourceType : '';
  const byParameters = FIS_RESOURCE_TYPE_SPECS[type]?.selectBy === 'parameters';
  if (Array.isArray(t.resourceArns)) {
    t.resourceArns.forEach((a, i) => {
      const p = indexPath(`${path}.resourceArns`, i);
      const arn = typeof a === 'string' ? parseArn(a) : undefined;
      if (!arn) return;
      placement(p, arn, s, refuse);
      if (!s.namedArns.has(a as string))
        refuse(
          p,
          'blast-radius',
          `${a as string} is outside the blast radius: not a resource the runbook names (aurora.members, elasticache.replicationGroups, fis.subnetArns, fis.policy.allowedArns); add it to fis.policy.allowedArns or target by tag`,
        );
    });
  } else if (isObject(t.resourceTags)) {
    for (const [k, v] of Object.entries(s.requiredTags)) {
      if (t.resourceTags[k] !== v)
        refuse(
          `${path}.resourceTags`,
          'blast-radius',
          `target is outside the blast radius: resourceTags must include ${k}=${v} (runbook fis.targetTag / blastRadius.requiredTags)`,
        );
    }
  } else if (!byParameters && t.resourceTags === undefined) {
    refuse(
      path,
      'blast-radius',
      `target selects by neither resourceArns nor resourceTags, i.e. every ${type || 'resource'} in the account; outside the blast radius: add resourceTags ${JSON.stringify(s.requiredTags)}`,
    );
  }
  if (Array.isArray(t.filters))
    t.filters.forEach((f, i) => {
      if (isObject(f) && f.path === 'Placement.AvailabilityZone' && Array.isArray(f.values))
        f.values.forEach((v, j) => checkAz(indexPath(`${indexPath(`${path}.filters`, i)}.values`, j), v, s, refuse));
    });
  if (isObject(t.parameters)) {
    for (const [k, v] of Object.entries(t.parameters)) {
      if (/availabilityZoneIdentifiers?$/i.test(k)) checkAz(childPath(`${path}.parameters`, k), v, s, refuse);
      if (k === 'clusterIdentifier' && typeof v === 'string' && parseArn(v))
        placement(childPath(`${path}.parameters`, k), parseArn(v)!, s, refuse);
    }
  }
}

function checkAction(path: string, a: Record<string, unknown>, s: Scope, refuse: Refuse): void {
  const id = typeof a.actionId === 'string' ? a.actionId : undefined;
  const found = id ? lookupFisAction(id) : undefined;
  const allowed = s.policy.allowedActions;
  if (id && found && allowed.length > 0 && !allowed.includes(id) && !allowed.includes(found.currentId))
    refuse(
      `${path}.actionId`,
      'allowed-actions',
      `${id} is not among runbook ${s.key}'s fis.policy.allowedActions (${allowed.join(', ')}); add it there to allow it`,
    );
  if (!isObject(a.parameters) || !found) return;
  for (const [k, v] of Object.entries(a.parameters)) {
    const p = childPath(`${path}.parameters`, k);
    const spec = found.spec.parameters[k];
    if (typeof v !== 'string' || !spec) continue;
    if (spec.check.kind === 'region' && !s.regions.has(v))
      refuse(
        p,
        'blast-radius',
        `region ${v} is outside blastRadius.regions (${[...s.regions].join(', ')}); use one of them or add it there`,
      );
    if (spec.check.kind === 'az-list') checkAz(p, v, s, refuse);
    if (spec.check.kind === 'arn-list' || spec.check.kind === 'arn')
      for (const one of v.split(',')) {
        const arn = parseArn(one.trim());
        // AWS-owned documents (no account) are outside any customer's blast radius question.
        if (arn && arn.account) placement(p, arn, s, refuse);
      }
    if (spec.check.kind === 'duration' && s.policy.maxDuration) {
      const ms = parseIsoDuration(v);
      const max = parseIsoDuration(s.policy.maxDuration);
      if (ms !== undefined && max !== undefined && ms > max)
        refuse(
          p,
          'max-duration',
          `${v} is longer than runbook ${s.key}'s fis.policy.maxDuration ${s.policy.maxDuration} (${formatMs(max)}); shorten it or raise fis.policy.maxDuration`,
        );
    }
  }
}
