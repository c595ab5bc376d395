/**
 * The FIS experiment template library (`runbooks/fis/*.json`): its folder, the shared types
 * (issues, render options, rendered template), loading a template file, and the names, tags and
 * ARNs templates are rendered with.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Runbook } from '../schema';
import type { FisTemplateDocument } from './document';
import { isObject } from './json-values';

/** Folder of the template library. */
export const FIS_TEMPLATE_DIR = resolve(__dirname, '..', 'fis');

/** Tag every template gameday creates carries; `apply` finds its own templates by it. */
export const GAMEDAY_MANAGED_TAG = 'gameday-managed';

/** Default fault duration of the library's actions (the FIS scenario's 30 min outage). */
export const DEFAULT_FIS_DURATION = 'PT30M';

/**
 * Which judgement an issue belongs to: `fis` = not valid FIS (CreateExperimentTemplate would refuse
 * it), `policy` = valid FIS refused by gameday's policy for the runbook, `placeholder` = a value
 * still to fill in, `note` = a remark that refuses nothing.
 */
export type FisIssueKind = 'fis' | 'policy' | 'placeholder' | 'note';

/** One problem in a template: which template, where (JSON path), what is wrong and the fix. */
export interface FisTemplateIssue {
  readonly template: string;
  /** JSON path such as `$.actions.Failover-RDS.actionId` or `$.stopConditions[0].value`. */
  readonly path: string;
  readonly message: string;
  /** The judgement; absent for problems loading or rendering a library template. */
  readonly kind?: FisIssueKind;
  /** The policy rule of a `policy` issue, e.g. `stop-condition-required`. */
  readonly rule?: string;
}

/** Thrown when a template cannot be loaded, rendered or validated; `issues` lists every problem. */
export class FisTemplateError extends Error {
  override readonly name = 'FisTemplateError';
  constructor(readonly issues: readonly FisTemplateIssue[]) {
    super(issues.map(formatFisIssue).join('\n'));
  }
}

const KIND_LABEL: Record<FisIssueKind, string> = {
  fis: 'not valid FIS',
  policy: 'refused by gameday policy',
  placeholder: 'unfilled placeholder',
  note: 'note',
};

/** `template: path: <judgement>: message`, e.g. `x: $.stopConditions[0].source: refused by gameday policy [stop-condition-required]: …`. */
export function formatFisIssue(i: FisTemplateIssue): string {
  const label = i.kind ? `${KIND_LABEL[i.kind]}${i.rule ? ` [${i.rule}]` : ''}: ` : '';
  return `${i.template}: ${i.path}: ${label}${i.message}`;
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
  readonly input: FisTemplateDocument;
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
    throw new FisTemplateError([
      {
        template: name,
        path: '$',
        message: 'expected a template name such as "az-power-interruption" (a file stem of runbooks/fis, no path)',
      },
    ]);
  }
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) {
    throw new FisTemplateError([
      { template: name, path: '$', message: `no template named "${name}" in ${dir}; known: ${listFisTemplateNames(dir).join(', ')}` },
    ]);
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
