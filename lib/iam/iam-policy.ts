/**
 * Least-privilege IAM policies for one runbook, generated from the runbook itself and the action
 * list (`lib/iam/aws-actions.ts`): the worker role's policy for the playbooks the runbook enables,
 * scoped to its cluster, global cluster, hosted zone, parameter, alarm and secret ARNs, its
 * blast-radius regions (`aws:RequestedRegion`) and required tags (`aws:ResourceTag/…`); and the
 * FIS experiment role's policy for the templates the runbook renders. Pure: no AWS call.
 */
import type { Runbook } from '../../runbooks/schema';
import { applicableFisTemplates, renderFisTemplate, type FisTemplateDocument } from '../../runbooks/fis-templates';
import { REGION_CUT_TEMPLATE, regionCutTemplate } from '../../runbooks/region-cut-template';
import {
  ACCOUNT_ROLE_PATTERN,
  ADAPTER_COMMANDS,
  DRILL_RESOURCE_PREFIX,
  FIS_ACTIONS,
  OWNER_TAG,
  PASS_FIS_ROLE,
  PLAYBOOKS,
  type AdapterCommandPermission,
  type Playbook,
  type ResourceKind,
} from './aws-actions';

/** One IAM policy statement (only the fields gameday writes). */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** A trust policy statement (who may assume the role). */
export interface TrustStatement {
  readonly Effect: 'Allow';
  readonly Principal: { readonly Service: string };
  readonly Action: 'sts:AssumeRole';
  readonly Condition: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** An IAM policy document. */
export interface PolicyDocument<S = PolicyStatement> {
  readonly Version: '2012-10-17';
  readonly Statement: readonly S[];
}

/** Whether a runbook enables a playbook, and why (or what it lacks). */
export interface PlaybookAvailability {
  readonly playbook: Playbook;
  readonly enabled: boolean;
  readonly reason: string;
}

/** The generated policies of one runbook. */
export interface IamPolicies {
  readonly runbook: string;
  readonly playbooks: readonly Playbook[];
  /** Attach to the role the gameday worker runs as. */
  readonly worker: PolicyDocument;
  /** The role the runbook's FIS templates name (`fis.roleArn`), when az-loss is included. */
  readonly fisRole?: { readonly roleArn: string; readonly permissions: PolicyDocument; readonly trust: PolicyDocument<TrustStatement> };
}

/** Thrown for a scenario the runbook does not enable; the message says what the runbook lacks. */
export class PlaybookNotEnabledError extends Error {
  override readonly name = 'PlaybookNotEnabledError';
}

/** Which playbooks `rb` enables, read from the sections it has. */
export function playbookAvailability(rb: Runbook): PlaybookAvailability[] {
  const a = rb.aurora;
  const is = (playbook: Playbook, enabled: boolean, yes: string, no: string): PlaybookAvailability => ({
    playbook,
    enabled,
    reason: enabled ? yes : no,
  });
  return [
    is('preflight', true, 'always', ''),
    is(
      'region-promotion',
      !!a?.globalClusterId && a.members.length > 1,
      'aurora.globalClusterId with a secondary member',
      'needs aurora.globalClusterId and a second aurora.members region',
    ),
    is('az-loss', !!rb.fis, 'fis section', 'needs a fis section (roleArn, targetTag)'),
    is('restore-verification', !!rb.restore && !!a, 'restore section', 'needs a restore section and aurora'),
    is('backtrack-drill', !!a?.backtrackWindow, 'aurora.backtrackWindow', 'needs aurora.backtrackWindow'),
    is('region-cut', !!rb.regionCut && !!rb.fis && !!rb.route53, 'regionCut section', 'needs regionCut, fis and route53 sections'),
    is(
      'instance-termination',
      !!rb.instanceTermination && !!rb.fis,
      'instanceTermination section',
      'needs instanceTermination and fis sections',
    ),
  ];
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Regional resource kinds get `aws:RequestedRegion`; Route 53, ARC's routing controls and IAM are global. */
const GLOBAL_KINDS: ReadonlySet<ResourceKind> = new Set([
  'hosted-zone',
  'route53-change',
  'health-checks',
  'routing-controls',
  'fis-role',
  'account-roles',
]);

/** The runbook's ARNs for one resource kind (empty: the runbook has none, the statement is left out). */
function resourcesOf(kind: ResourceKind, rb: Runbook): string[] {
  const p = partitionOf(rb.aurora?.primaryRegion ?? rb.blastRadius.regions[0]!);
  const acct = rb.account;
  const regions = rb.blastRadius.regions;
  const members = rb.aurora?.members ?? [];
  const memberRegions = [...new Set(members.map((m) => m.region))];
  const rds = (region: string, res: string): string => `arn:${p}:rds:${region}:${acct}:${res}`;
  const clusterArns = members.map((m) => rds(m.region, `cluster:${m.clusterId}`));
  switch (kind) {
    case 'global-cluster':
      // global-cluster calls also authorize the member cluster they name
      return rb.aurora?.globalClusterId ? [`arn:${p}:rds::${acct}:global-cluster:${rb.aurora.globalClusterId}`, ...clusterArns] : [];
    case 'clusters':
      return clusterArns;
    case 'all-clusters':
      return regions.map((r) => rds(r, 'cluster:*'));
    case 'all-instances':
      return regions.map((r) => rds(r, 'db:*'));
    case 'restore-sources':
      return [
        ...clusterArns,
        ...memberRegions.map((r) => rds(r, `cluster:${DRILL_RESOURCE_PREFIX}*`)),
        ...memberRegions.map((r) => rds(r, `cluster-snapshot:*`)),
        // the restored cluster's (default) parameter and option groups
        ...memberRegions.map((r) => rds(r, `cluster-pg:*`)),
        ...memberRegions.map((r) => rds(r, `og:*`)),
        ...(rb.aurora?.restoreSubnetGroup ? memberRegions.map((r) => rds(r, `subgrp:${rb.aurora!.restoreSubnetGroup}`)) : []),
      ];
    case 'drill-clusters':
      // DeleteDBCluster also authorizes the (skipped) final snapshot's name
      return [
        ...memberRegions.map((r) => rds(r, `cluster:${DRILL_RESOURCE_PREFIX}*`)),
        ...memberRegions.map((r) => rds(r, `cluster-snapshot:${DRILL_RESOURCE_PREFIX}*`)),
      ];
    case 'drill-instances':
      return [
        ...memberRegions.map((r) => rds(r, `db:${DRILL_RESOURCE_PREFIX}*`)),
        ...memberRegions.map((r) => rds(r, `cluster:${DRILL_RESOURCE_PREFIX}*`)),
      ];
    case 'hosted-zone':
      return rb.route53 ? [`arn:${p}:route53:::hostedzone/${rb.route53.hostedZoneId}`] : [];
    case 'route53-change':
      return rb.route53 ? [`arn:${p}:route53:::change/*`] : [];
    case 'health-checks':
      return Object.values(rb.route53?.healthChecks ?? {}).map((id) => `arn:${p}:route53:::healthcheck/${id}`);
    case 'routing-controls':
      return rb.route53?.routing.policy === 'arc' ? Object.values(rb.route53.routing.routingControls) : [];
    case 'fis-templates':
      return rb.fis
        ? regions.flatMap((r) => [`arn:${p}:fis:${r}:${acct}:experiment-template/*`, `arn:${p}:fis:${r}:${acct}:action/*`])
        : [];
    case 'fis-experiments':
      return rb.fis
        ? regions.flatMap((r) => [`arn:${p}:fis:${r}:${acct}:experiment/*`, `arn:${p}:fis:${r}:${acct}:experiment-template/*`])
        : [];
    case 'fis-role':
      return rb.fis ? [rb.fis.roleArn] : [];
    case 'alarms': {
      const it = rb.instanceTermination;
      const stop = [
        ...regions.flatMap((r) => rb.alarms.stopConditions.map((n) => `arn:${p}:cloudwatch:${r}:${acct}:alarm:${n}`)),
        ...(it ? [`arn:${p}:cloudwatch:${it.targetGroupArn.split(':')[3]}:${acct}:alarm:${it.serviceAlarm}`] : []),
      ];
      const health = Object.entries(rb.alarms.health).flatMap(([r, names]) =>
        names.map((n) => `arn:${p}:cloudwatch:${r}:${acct}:alarm:${n}`),
      );
      return [...new Set([...stop, ...health])];
    }
    case 'app-parameter':
      return rb.appReconfiguration?.kind === 'ssm-parameter'
        ? regions.map(
            (r) =>
              `arn:${p}:ssm:${r}:${acct}:parameter/${rb.appReconfiguration!.kind === 'ssm-parameter' ? rb.appReconfiguration!.name.replace(/^\//, '') : ''}`,
          )
        : [];
    case 'automation-documents': {
      const docs = [
        ...(rb.appReconfiguration?.kind === 'ssm-automation' ? [rb.appReconfiguration.documentName] : []),
        ...(rb.writeFencing ? [rb.writeFencing.documentName] : []),
      ];
      return regions.flatMap((r) => docs.map((d) => `arn:${p}:ssm:${r}:${acct}:automation-definition/${d}:*`));
    }
    case 'automation-executions':
      return rb.appReconfiguration?.kind === 'ssm-automation' || rb.writeFencing
        ? regions.map((r) => `arn:${p}:ssm:${r}:${acct}:automation-execution/*`)
        : [];
    case 'canary-secret':
      return rb.canary ? [rb.canary.secretArn] : [];
    case 'replication-groups':
      return rb.elasticache.replicationGroups.map((g) => `arn:${p}:elasticache:${g.region}:${acct}:replicationgroup:${g.id}`);
    case 'group-instances': {
      const it = rb.instanceTermination;
      return it ? [`arn:${p}:ec2:${it.targetGroupArn.split(':')[3]}:${acct}:instance/*`] : [];
    }
    case 'account-roles':
      return [`arn:${p}:iam::${acct}:role/${ACCOUNT_ROLE_PATTERN}`];
    case 'any':
      return ['*'];
  }
}

function sidOf(kind: ResourceKind, e: AdapterCommandPermission): string {
  const words = kind.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1));
  const flags = [
    e.tagScoped && 'RequiredTags',
    e.ownedOnly && 'OwnedByGameday',
    e.groupScoped && 'OfGroup',
    e.recordNameScoped && 'RecordName',
    e.conditions && 'Conditional',
  ];
  return `${words.join('')}${flags.filter(Boolean).join('')}`;
}

function conditionsOf(kind: ResourceKind, e: AdapterCommandPermission, rb: Runbook): PolicyStatement['Condition'] {
  const eq: Record<string, string | string[]> = {};
  const out: Record<string, Record<string, string | readonly string[]>> = {};
  if (!GLOBAL_KINDS.has(kind)) eq['aws:RequestedRegion'] = [...rb.blastRadius.regions];
  if (e.tagScoped) for (const [k, v] of Object.entries(rb.blastRadius.requiredTags)) eq[`aws:ResourceTag/${k}`] = v;
  if (e.ownedOnly) eq[`aws:ResourceTag/${OWNER_TAG.key}`] = OWNER_TAG.value;
  if (e.groupScoped && rb.instanceTermination) {
    eq['aws:ResourceTag/aws:autoscaling:groupName'] = rb.instanceTermination.autoScalingGroup;
    if (rb.fis) eq[`aws:ResourceTag/${rb.fis.targetTag.key}`] = rb.fis.targetTag.value;
  }
  if (kind === 'fis-role') eq['iam:PassedToService'] = 'fis.amazonaws.com';
  for (const [op, kv] of Object.entries(e.conditions ?? {})) Object.assign(op === 'StringEquals' ? eq : (out[op] ??= {}), kv);
  if (e.recordNameScoped && rb.route53) {
    out['ForAllValues:StringEquals'] = {
      'route53:ChangeResourceRecordSetsNormalizedRecordNames': [rb.route53.recordName.toLowerCase().replace(/\.$/, '')],
    };
  }
  if (Object.keys(eq).length) out.StringEquals = eq;
  return Object.keys(out).length ? out : undefined;
}

/** The runbook's playbooks among `scenarios` (all it enables when none are given); throws for one it does not enable. */
export function selectPlaybooks(rb: Runbook, scenarios: readonly Playbook[] = []): Playbook[] {
  const avail = playbookAvailability(rb);
  for (const s of scenarios) {
    const a = avail.find((x) => x.playbook === s)!;
    if (!a.enabled) throw new PlaybookNotEnabledError(`the runbook does not enable ${s}: it ${a.reason}`);
  }
  const wanted = scenarios.length
    ? new Set<Playbook>(['preflight', ...scenarios])
    : new Set(avail.filter((a) => a.enabled).map((a) => a.playbook));
  return PLAYBOOKS.filter((p) => wanted.has(p));
}

/**
 * The worker role's policy for `playbooks` of `rb`: one statement per resource kind and condition
 * set. `workerAccount` (the account the worker runs in) adds `sts:AssumeRole` into the runbook's
 * account when the two differ.
 */
export function workerPolicy(rb: Runbook, playbooks: readonly Playbook[], opts: { readonly workerAccount?: string } = {}): PolicyDocument {
  const crossAccount = opts.workerAccount !== undefined && opts.workerAccount !== rb.account;
  const groups = new Map<string, { kind: ResourceKind; entry: AdapterCommandPermission; actions: Set<string> }>();
  const entries: AdapterCommandPermission[] = [...Object.values(ADAPTER_COMMANDS), PASS_FIS_ROLE];
  for (const e of entries) {
    if (!e.playbooks.some((p) => playbooks.includes(p)) || (e.crossAccount && !crossAccount)) continue;
    const key = sidOf(e.resource, e);
    const g = groups.get(key) ?? { kind: e.resource, entry: e, actions: new Set<string>() };
    for (const a of e.actions) g.actions.add(a);
    groups.set(key, g);
  }
  const statements: PolicyStatement[] = [];
  for (const [sid, g] of groups) {
    const resources = resourcesOf(g.kind, rb);
    if (resources.length === 0) continue;
    const actions = [...g.actions].sort();
    const condition = conditionsOf(g.kind, g.entry, rb);
    statements.push({
      Sid: sid,
      Effect: 'Allow',
      Action: actions,
      Resource: resources.length === 1 ? resources[0]! : resources,
      ...(condition ? { Condition: condition } : {}),
    });
  }
  return { Version: '2012-10-17', Statement: statements.sort((a, b) => a.Sid.localeCompare(b.Sid)) };
}

/** The FIS experiment role's policy: the permissions of every FIS action the runbook's templates use, on their targets. */
export function fisRolePolicy(rb: Runbook, opts: { readonly templateDir?: string } = {}): PolicyDocument | undefined {
  if (!rb.fis || !rb.aurora) return undefined;
  const primary = rb.aurora.members.find((m) => m.region === rb.aurora!.primaryRegion);
  const az = primary?.instances?.[0]?.az ?? `${rb.aurora.primaryRegion}a`;
  const render = { az, ...(opts.templateDir ? { dir: opts.templateDir } : {}) };
  const p = partitionOf(rb.aurora.primaryRegion);
  const statements: PolicyStatement[] = [];
  const anyActions = new Set<string>();
  const regions = new Set<string>();
  const documents: { name: string; region: string; input: FisTemplateDocument }[] = applicableFisTemplates(rb, render)
    .filter((x) => !x.skipped)
    .map((t) => renderFisTemplate(t.name, rb, render));
  // the region cut's own template (built per run, not in the library): its action on the primary's entry points
  if (rb.regionCut) {
    const region = rb.aurora.primaryRegion;
    documents.push({ name: REGION_CUT_TEMPLATE, region, input: regionCutTemplate(rb, region, 'PT15M', 'iam-policy') });
  }
  for (const rendered of documents) {
    const t = { name: rendered.name };
    regions.add(rendered.region);
    for (const [name, action] of Object.entries(rendered.input.actions)) {
      const perm = FIS_ACTIONS[action.actionId];
      if (!perm) throw new Error(`FIS action ${action.actionId} of template ${t.name} has no entry in lib/iam/aws-actions.ts FIS_ACTIONS`);
      perm.onAny.forEach((a) => anyActions.add(a));
      const targets = Object.values(action.targets ?? {}).map((k) => rendered.input.targets[k]!);
      const arns = targets.flatMap((x) => x.resourceArns ?? []);
      const byTag = targets.some((x) => !x.resourceArns);
      const at = perm.targetArn;
      const typed =
        at === '*' ? '*' : `arn:${p}:${at.service}:${rendered.region}:${rb.account}:${at.type}${at.type === '*' ? '' : `${at.separator}*`}`;
      const sid = `${t.name}-${name}`.replace(/[^A-Za-z0-9]/g, '');
      if (arns.length)
        statements.push({ Sid: `${sid}Arns`, Effect: 'Allow', Action: [...perm.onTargets], Resource: arns.length === 1 ? arns[0]! : arns });
      if (byTag || !arns.length) {
        const tagged = at !== '*' && at.type !== '*';
        statements.push({
          Sid: `${sid}${tagged ? 'Tagged' : ''}`,
          Effect: 'Allow',
          Action: [...perm.onTargets],
          Resource: typed,
          Condition: {
            StringEquals: {
              'aws:RequestedRegion': rendered.region,
              ...(tagged ? { [`aws:ResourceTag/${rb.fis.targetTag.key}`]: rb.fis.targetTag.value } : {}),
            },
          },
        });
      }
    }
  }
  if (anyActions.size) {
    statements.push({
      Sid: 'FisDescribe',
      Effect: 'Allow',
      Action: [...anyActions].sort(),
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': [...regions] } },
    });
  }
  return { Version: '2012-10-17', Statement: dedupe(statements) };
}

function dedupe(statements: PolicyStatement[]): PolicyStatement[] {
  const seen = new Map<string, PolicyStatement>();
  for (const s of statements) {
    const key = JSON.stringify([s.Action, s.Resource, s.Condition]);
    if (!seen.has(key)) seen.set(key, s);
  }
  return [...seen.values()];
}

/** Everything `gameday iam-policy` prints for a runbook. */
export function generateIamPolicies(
  rb: Runbook,
  opts: { readonly scenarios?: readonly Playbook[]; readonly templateDir?: string; readonly workerAccount?: string } = {},
): IamPolicies {
  const playbooks = selectPlaybooks(rb, opts.scenarios);
  const runbook = `${rb.service}-${rb.environment}`;
  const fis = (playbooks.includes('az-loss') || playbooks.includes('region-cut')) && rb.fis ? fisRolePolicy(rb, opts) : undefined;
  return {
    runbook,
    playbooks,
    worker: workerPolicy(rb, playbooks, opts.workerAccount !== undefined ? { workerAccount: opts.workerAccount } : {}),
    ...(fis && rb.fis
      ? {
          fisRole: {
            roleArn: rb.fis.roleArn,
            permissions: fis,
            trust: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: 'fis.amazonaws.com' },
                  Action: 'sts:AssumeRole',
                  Condition: { StringEquals: { 'aws:SourceAccount': rb.account } },
                },
              ],
            },
          },
        }
      : {}),
  };
}
