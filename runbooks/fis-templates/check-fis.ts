/**
 * The "not valid FIS" judgement: what CreateExperimentTemplate would refuse, checked against the
 * catalog (unknown action or resource type, wrong target key or resource type, missing or unknown
 * parameter, bad value or duration, unknown key at any level, lengths, startAfter references and
 * cycles, experimentOptions, logConfiguration, experimentReportConfiguration). No gameday rule here.
 */
import { FIS_ACTIONS, FIS_RESOURCE_TYPE_SPECS, FIS_RESOURCE_TYPES, arnServiceOf, lookupFisAction, parseIsoDuration } from '../fis-catalog';
import { checkParameters, parseArn, type Report } from './check-parameters';
import { childPath, indexPath } from './json-path';
import { isObject } from './json-values';

/** A finding at a JSON path. */
export interface FisFinding {
  readonly path: string;
  readonly message: string;
}

/** What the FIS check found: refusals (`issues`) and remarks that do not refuse (`notes`). */
export interface FisCheckResult {
  readonly issues: FisFinding[];
  readonly notes: FisFinding[];
}

const TOP = [
  'description',
  'roleArn',
  'targets',
  'actions',
  'stopConditions',
  'tags',
  'experimentOptions',
  'logConfiguration',
  'experimentReportConfiguration',
  'clientToken',
];
const TARGET = ['resourceType', 'resourceArns', 'resourceTags', 'filters', 'selectionMode', 'parameters'];
const ACTION = ['actionId', 'description', 'parameters', 'targets', 'startAfter'];

/** Reports keys of `obj` that are not in `allowed` (with the right spelling when only the case differs). */
function unknownKeys(path: string, obj: Record<string, unknown>, allowed: readonly string[], report: Report): void {
  for (const k of Object.keys(obj)) {
    if (allowed.includes(k)) continue;
    const near = allowed.find((a) => a.toLowerCase() === k.toLowerCase());
    report(
      childPath(path, k),
      near
        ? `unknown field "${k}"; FIS field names are case-sensitive: write "${near}"`
        : `unknown field "${k}"; FIS accepts ${allowed.join(', ')} here: remove it or fix its name`,
    );
  }
}

/** Reports a string field longer than `max` (or absent/empty when required). */
function checkString(path: string, v: unknown, required: boolean, max: number, what: string, report: Report): v is string {
  if (v === undefined) {
    if (required) report(path, `${what} is required`);
    return false;
  }
  if (typeof v !== 'string') return (void report(path, `${what} must be a string`), false);
  if (required && v.length === 0) return (void report(path, `${what} must not be empty`), false);
  if (v.length > max) return (void report(path, `${what} is ${v.length} characters; FIS allows at most ${max}`), false);
  return true;
}

/** Checks a whole CreateExperimentTemplate document for FIS validity. */
export function checkFisDocument(doc: unknown): FisCheckResult {
  const issues: FisFinding[] = [];
  const notes: FisFinding[] = [];
  const report: Report = (path, message) => void issues.push({ path, message });
  const note: Report = (path, message) => void notes.push({ path, message });
  if (!isObject(doc)) {
    report('$', 'expected a JSON object in the CreateExperimentTemplate shape');
    return { issues, notes };
  }
  unknownKeys('$', doc, TOP, report);
  checkString('$.description', doc.description, true, 512, 'description', report);
  if (checkString('$.roleArn', doc.roleArn, true, 1224, 'roleArn', report)) {
    const arn = parseArn(doc.roleArn);
    if (!arn || arn.service !== 'iam' || !arn.resource.startsWith('role/'))
      report('$.roleArn', 'expected the ARN of the IAM role FIS assumes (arn:aws:iam::<account>:role/<name>)');
  }
  if (doc.clientToken !== undefined && (typeof doc.clientToken !== 'string' || !/^\S{1,1024}$/.test(doc.clientToken)))
    report('$.clientToken', 'clientToken: 1–1024 characters without whitespace');

  const targetTypes = checkTargets(doc.targets, report);
  checkActions(doc.actions, isObject(doc.targets) ? doc.targets : {}, targetTypes, report, note);
  checkStopConditions(doc.stopConditions, report);
  checkTags('$.tags', doc.tags, report);
  checkExperimentOptions(doc.experimentOptions, report);
  checkLogConfiguration(doc.logConfiguration, report);
  checkReportConfiguration(doc.experimentReportConfiguration, report);
  return { issues, notes };
}

function checkName(path: string, name: string, what: string, report: Report): void {
  if (name.length === 0 || name.length > 64 || /\s/.test(name))
    report(path, `${what} name "${name}" must be 1–64 characters without whitespace; rename it`);
}

/** Checks `targets`; returns target name → resource type for the well-typed ones. */
function checkTargets(targets: unknown, report: Report): Map<string, string> {
  const types = new Map<string, string>();
  if (targets === undefined) return types;
  if (!isObject(targets)) return (report('$.targets', 'expected an object of named targets'), types);
  for (const [name, target] of Object.entries(targets)) {
    const path = childPath('$.targets', name);
    checkName(path, name, 'target', report);
    if (!isObject(target)) {
      report(path, 'expected an object with resourceType, selectionMode and resourceArns, resourceTags, filters or parameters');
      continue;
    }
    unknownKeys(path, target, TARGET, report);
    const type = target.resourceType;
    const spec = typeof type === 'string' ? FIS_RESOURCE_TYPE_SPECS[type] : undefined;
    if (!spec) {
      const near = typeof type === 'string' ? FIS_RESOURCE_TYPES.find((t) => t.startsWith(type.replace(/s$/, ''))) : undefined;
      report(
        `${path}.resourceType`,
        `unknown resource type ${JSON.stringify(type)}; ${near ? `did you mean ${near}? ` : ''}FIS targets one of ${FIS_RESOURCE_TYPES.join(', ')}`,
      );
    } else types.set(name, type as string);
    if (typeof target.selectionMode !== 'string' || !/^(ALL|COUNT\([1-9]\d*\)|PERCENT\(([1-9]\d?|100)\))$/.test(target.selectionMode))
      report(`${path}.selectionMode`, 'expected ALL, COUNT(n) or PERCENT(n) (n a whole number; PERCENT 1–100)');
    const { resourceArns: arns, resourceTags: tags, filters } = target;
    if (arns !== undefined && (tags !== undefined || filters !== undefined))
      report(`${path}.resourceArns`, 'FIS cannot combine resourceArns with resourceTags or filters; keep one way of selecting');
    if (arns !== undefined) {
      if (!Array.isArray(arns) || arns.length === 0 || arns.length > 5)
        report(`${path}.resourceArns`, `expected 1–5 ARNs${Array.isArray(arns) ? ` (got ${arns.length}); split the target` : ''}`);
      else
        arns.forEach((a, i) => {
          const parsed = typeof a === 'string' ? parseArn(a) : undefined;
          const want = typeof type === 'string' ? arnServiceOf(type) : '*';
          if (!parsed) report(indexPath(`${path}.resourceArns`, i), `expected an ARN, got ${JSON.stringify(a)}`);
          else if (want !== '*' && parsed.service !== want)
            report(indexPath(`${path}.resourceArns`, i), `a ${String(type)} target needs ${want} ARNs, got a ${parsed.service} ARN`);
        });
    }
    if (tags !== undefined) checkTags(`${path}.resourceTags`, tags, report);
    if (filters !== undefined) {
      if (!Array.isArray(filters)) report(`${path}.filters`, 'expected a list of {path, values}');
      else
        filters.forEach((f, i) => {
          const fp = indexPath(`${path}.filters`, i);
          if (!isObject(f)) return report(fp, 'expected {"path": "Placement.AvailabilityZone", "values": ["…"]}');
          unknownKeys(fp, f, ['path', 'values'], report);
          if (typeof f.path !== 'string' || f.path.length === 0) report(`${fp}.path`, 'expected the attribute path, e.g. "State.Name"');
          if (!Array.isArray(f.values) || f.values.length === 0 || f.values.some((v) => typeof v !== 'string'))
            report(`${fp}.values`, 'expected a non-empty list of strings');
        });
    }
    if (spec?.selectBy === 'parameters') {
      for (const k of ['resourceArns', 'resourceTags', 'filters'] as const) {
        if (target[k] !== undefined)
          report(
            `${path}.${k}`,
            `${String(type)} targets are selected by parameters (${Object.keys(spec.parameters).join(', ')}), not by ${k}; remove ${k} and set parameters`,
          );
      }
    } else if (arns === undefined && tags === undefined && filters === undefined && target.parameters === undefined) {
      report(path, 'the target selects nothing: give resourceArns, resourceTags, filters or parameters');
    }
    if (spec) checkParameters(`${path}.parameters`, target.parameters, spec.parameters, `resource type ${String(type)}`, report);
  }
  return types;
}

function checkActions(
  actions: unknown,
  targets: Record<string, unknown>,
  targetTypes: Map<string, string>,
  report: Report,
  note: Report,
): void {
  if (!isObject(actions) || Object.keys(actions).length === 0) {
    return report('$.actions', 'expected at least one action ({"<name>": {"actionId": "aws:…", …}})');
  }
  const used = new Set<string>();
  for (const [name, action] of Object.entries(actions)) {
    const path = childPath('$.actions', name);
    checkName(path, name, 'action', report);
    if (!isObject(action)) {
      report(path, 'expected an object with actionId, parameters, targets');
      continue;
    }
    unknownKeys(path, action, ACTION, report);
    const id = action.actionId;
    const found = typeof id === 'string' ? lookupFisAction(id) : undefined;
    if (!found) {
      const service = typeof id === 'string' ? id.split(':').slice(0, 2).join(':') : '';
      const same = Object.keys(FIS_ACTIONS).filter((a) => service && a.startsWith(`${service}:`));
      report(
        `${path}.actionId`,
        `unknown action id ${JSON.stringify(id)}; ${same.length ? `${service} actions are ${same.join(', ')}` : `use one of ${Object.keys(FIS_ACTIONS).join(', ')}`}`,
      );
    } else if (found.formerId) {
      note(`${path}.actionId`, `${found.formerId} was renamed ${found.currentId}; FIS still accepts the former name, prefer the new one`);
    }
    const spec = found?.spec;
    const label = `action ${typeof id === 'string' ? id : name}`;
    checkString(`${path}.description`, action.description, false, 512, 'description', report);
    if (spec) checkParameters(`${path}.parameters`, action.parameters, spec.parameters, label, report);
    else if (action.parameters !== undefined && !isObject(action.parameters))
      report(`${path}.parameters`, 'expected an object of string parameters');
    const refs = action.targets ?? {};
    if (!isObject(refs)) report(`${path}.targets`, 'expected an object of target key → target name');
    else {
      for (const [key, ref] of Object.entries(refs)) {
        const kpath = childPath(`${path}.targets`, key);
        if (typeof ref !== 'string' || !(ref in targets)) {
          report(
            kpath,
            `target ${JSON.stringify(ref)} is not defined in $.targets; define it or use one of ${Object.keys(targets).join(', ') || '(none)'}`,
          );
          continue;
        }
        used.add(ref);
        if (!spec) continue;
        const type = targetTypes.get(ref);
        let want = spec.targets[key];
        if (!want) {
          const keys = Object.keys(spec.targets);
          if (spec.targetKeyUnconfirmed && keys.length === 1 && type === spec.targets[keys[0]!]) {
            note(
              kpath,
              `the catalog knows ${label}'s target key as "${keys[0]}" (unconfirmed); check with aws fis get-action --id ${String(id)}`,
            );
            want = type;
          } else {
            report(
              kpath,
              `${label} has no target key "${key}"; ${keys.length ? `use ${keys.join(', ')}` : 'it takes no targets: remove it'}`,
            );
            continue;
          }
        }
        if (type && type !== want) {
          report(
            childPath(childPath('$.targets', ref), 'resourceType'),
            `action ${name} (${String(id)}) needs resource type ${want} for ${key}, but target ${ref} is ${type}; set resourceType to ${want}`,
          );
        }
        const t = targets[ref];
        if (spec.selection && isObject(t)) checkSelection(childPath('$.targets', ref), t, spec.selection, label, report);
      }
      if (spec) {
        const given = Object.keys(refs);
        for (const [key, type] of Object.entries(spec.targets)) {
          const alt = spec.targetKeyUnconfirmed && given.length === 1 && targetTypes.get(String(refs[given[0]!])) === type;
          if (!(key in refs) && !alt)
            report(`${path}.targets`, `${label} needs target key "${key}" (${type}); add "${key}": "<target name>"`);
        }
      }
    }
    checkStartAfter(path, name, action.startAfter, actions, report);
  }
  const cycle = findCycle(actions);
  if (cycle) report(`${childPath('$.actions', cycle[0]!)}.startAfter`, `startAfter forms a cycle (${cycle.join(' → ')}); break it`);
  for (const name of Object.keys(targets)) {
    if (!used.has(name)) note(childPath('$.targets', name), `target ${name} is not used by any action`);
  }
}

function checkSelection(path: string, t: Record<string, unknown>, selection: 'arns' | 'tags', label: string, report: Report): void {
  if (selection === 'arns') {
    for (const k of ['resourceTags', 'filters', 'parameters'] as const)
      if (t[k] !== undefined) report(`${path}.${k}`, `${label} targets resources by resourceArns only, not by ${k}; list the ARNs instead`);
    if (t.resourceArns === undefined) report(path, `${label} targets resources by resourceArns only; add resourceArns`);
  } else {
    if (t.resourceArns !== undefined) report(`${path}.resourceArns`, `${label} targets resources by resourceTags only; use resourceTags`);
    if (t.resourceTags === undefined && t.resourceArns === undefined)
      report(path, `${label} targets resources by resourceTags only; add resourceTags`);
  }
}

function checkStartAfter(path: string, name: string, startAfter: unknown, actions: Record<string, unknown>, report: Report): void {
  if (startAfter === undefined) return;
  if (!Array.isArray(startAfter)) return report(`${path}.startAfter`, 'expected a list of action names');
  startAfter.forEach((ref, i) => {
    const p = indexPath(`${path}.startAfter`, i);
    if (typeof ref !== 'string' || !(ref in actions)) {
      const others = Object.keys(actions).filter((a) => a !== name);
      report(p, `startAfter refers to unknown action ${JSON.stringify(ref)}; use one of ${others.join(', ') || '(none)'}`);
    } else if (ref === name) report(p, 'an action cannot start after itself; remove it');
  });
}

function checkStopConditions(stops: unknown, report: Report): void {
  if (!Array.isArray(stops) || stops.length === 0) {
    return report(
      '$.stopConditions',
      'stopConditions is required: list at least one ({"source": "aws:cloudwatch:alarm", "value": "<alarm ARN>"} or {"source": "none"})',
    );
  }
  stops.forEach((s, i) => {
    const path = indexPath('$.stopConditions', i);
    if (!isObject(s)) return report(path, 'expected {"source": …, "value": …}');
    unknownKeys(path, s, ['source', 'value'], report);
    if (s.source === 'none') {
      if (s.value !== undefined) report(`${path}.value`, 'a "none" stop condition takes no value; remove it');
      return;
    }
    if (s.source !== 'aws:cloudwatch:alarm')
      return report(`${path}.source`, `unknown source ${JSON.stringify(s.source)}; use "aws:cloudwatch:alarm" or "none"`);
    const arn = typeof s.value === 'string' ? parseArn(s.value) : undefined;
    if (!arn || arn.service !== 'cloudwatch' || !arn.resource.startsWith('alarm:'))
      report(`${path}.value`, 'expected a CloudWatch alarm ARN (arn:aws:cloudwatch:<region>:<account>:alarm:<name>)');
  });
}

function checkTags(path: string, tags: unknown, report: Report): void {
  if (tags === undefined) return;
  if (!isObject(tags)) return report(path, 'expected an object of tag key → string value');
  if (Object.keys(tags).length > 50) report(path, `at most 50 tags (got ${Object.keys(tags).length})`);
  for (const [k, v] of Object.entries(tags)) {
    if (k.length === 0 || k.length > 128) report(childPath(path, k), 'tag keys are 1–128 characters');
    if (typeof v !== 'string' || v.length > 256) report(childPath(path, k), 'tag values are strings of at most 256 characters');
  }
}

function checkExperimentOptions(o: unknown, report: Report): void {
  if (o === undefined) return;
  if (!isObject(o)) return report('$.experimentOptions', 'expected {"accountTargeting": …, "emptyTargetResolutionMode": …}');
  unknownKeys('$.experimentOptions', o, ['accountTargeting', 'emptyTargetResolutionMode'], report);
  if (o.accountTargeting !== undefined && !['single-account', 'multi-account'].includes(o.accountTargeting as string))
    report(
      '$.experimentOptions.accountTargeting',
      `expected "single-account" or "multi-account", got ${JSON.stringify(o.accountTargeting)}`,
    );
  if (o.emptyTargetResolutionMode !== undefined && !['fail', 'skip'].includes(o.emptyTargetResolutionMode as string))
    report(
      '$.experimentOptions.emptyTargetResolutionMode',
      `expected "fail" or "skip", got ${JSON.stringify(o.emptyTargetResolutionMode)}`,
    );
}

function checkS3(path: string, s3: unknown, report: Report): void {
  if (!isObject(s3)) return report(path, 'expected {"bucketName": "…", "prefix": "…"}');
  unknownKeys(path, s3, ['bucketName', 'prefix'], report);
  if (typeof s3.bucketName !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(s3.bucketName))
    report(`${path}.bucketName`, 'expected an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)');
  if (s3.prefix !== undefined && (typeof s3.prefix !== 'string' || s3.prefix.length > 1024))
    report(`${path}.prefix`, 'expected a key prefix string');
}

function checkLogConfiguration(c: unknown, report: Report): void {
  if (c === undefined) return;
  const path = '$.logConfiguration';
  if (!isObject(c)) return report(path, 'expected {"logSchemaVersion": 2, "cloudWatchLogsConfiguration" | "s3Configuration": …}');
  unknownKeys(path, c, ['logSchemaVersion', 'cloudWatchLogsConfiguration', 's3Configuration'], report);
  if (typeof c.logSchemaVersion !== 'number' || !Number.isInteger(c.logSchemaVersion) || c.logSchemaVersion < 1)
    report(`${path}.logSchemaVersion`, 'logSchemaVersion is required: a whole number such as 2 (not a string)');
  if (c.cloudWatchLogsConfiguration === undefined && c.s3Configuration === undefined)
    report(path, 'name a destination: cloudWatchLogsConfiguration {logGroupArn} and/or s3Configuration {bucketName}');
  if (c.cloudWatchLogsConfiguration !== undefined) {
    const cw = c.cloudWatchLogsConfiguration;
    const p = `${path}.cloudWatchLogsConfiguration`;
    if (!isObject(cw)) report(p, 'expected {"logGroupArn": "arn:aws:logs:…"}');
    else {
      unknownKeys(p, cw, ['logGroupArn'], report);
      if (typeof cw.logGroupArn !== 'string' || parseArn(cw.logGroupArn)?.service !== 'logs')
        report(`${p}.logGroupArn`, 'expected a CloudWatch Logs log group ARN (arn:aws:logs:<region>:<account>:log-group:<name>:*)');
    }
  }
  if (c.s3Configuration !== undefined) checkS3(`${path}.s3Configuration`, c.s3Configuration, report);
}

function checkReportConfiguration(c: unknown, report: Report): void {
  if (c === undefined) return;
  const path = '$.experimentReportConfiguration';
  if (!isObject(c))
    return report(path, 'expected {"outputs": …, "dataSources": …, "preExperimentDuration": …, "postExperimentDuration": …}');
  unknownKeys(path, c, ['outputs', 'dataSources', 'preExperimentDuration', 'postExperimentDuration'], report);
  if (c.outputs !== undefined) {
    if (!isObject(c.outputs)) report(`${path}.outputs`, 'expected {"s3Configuration": {"bucketName": …, "prefix": …}}');
    else {
      unknownKeys(`${path}.outputs`, c.outputs, ['s3Configuration'], report);
      if (c.outputs.s3Configuration !== undefined) checkS3(`${path}.outputs.s3Configuration`, c.outputs.s3Configuration, report);
    }
  }
  if (c.dataSources !== undefined) {
    const p = `${path}.dataSources`;
    if (!isObject(c.dataSources)) report(p, 'expected {"cloudWatchDashboards": [{"dashboardIdentifier": "<dashboard ARN>"}]}');
    else {
      unknownKeys(p, c.dataSources, ['cloudWatchDashboards'], report);
      const boards = c.dataSources.cloudWatchDashboards;
      if (boards !== undefined && !Array.isArray(boards)) report(`${p}.cloudWatchDashboards`, 'expected a list of {dashboardIdentifier}');
      else
        (boards ?? []).forEach((b: unknown, i: number) => {
          const bp = indexPath(`${p}.cloudWatchDashboards`, i);
          if (!isObject(b)) return report(bp, 'expected {"dashboardIdentifier": "<dashboard ARN>"}');
          unknownKeys(bp, b, ['dashboardIdentifier'], report);
          if (typeof b.dashboardIdentifier !== 'string' || parseArn(b.dashboardIdentifier)?.service !== 'cloudwatch')
            report(`${bp}.dashboardIdentifier`, 'expected a CloudWatch dashboard ARN (arn:aws:cloudwatch::<account>:dashboard/<name>)');
        });
    }
  }
  for (const k of ['preExperimentDuration', 'postExperimentDuration'] as const) {
    const v = c[k];
    if (v === undefined) continue;
    const ms = typeof v === 'string' ? parseIsoDuration(v) : undefined;
    if (ms === undefined) report(`${path}.${k}`, `${JSON.stringify(v)} is not an ISO-8601 duration; write e.g. "PT10M"`);
  }
}

/** A startAfter cycle as a list of action names (first = last), or undefined. */
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
