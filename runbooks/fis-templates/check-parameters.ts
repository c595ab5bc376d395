/** Checking the `parameters` of an action or a target against the catalog's parameter specs (FIS validity only). */
import { formatMs, parseIsoDuration, type FisParameterSpec } from '../fis-catalog';
import { childPath } from './json-path';
import { isObject } from './json-values';

/** Reports one finding at a JSON path. */
export type Report = (path: string, message: string) => void;

/** An ARN, split (`arn:partition:service:region:account:resource`). */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits an ARN; undefined when the text is not one. */
export function parseArn(text: string): ParsedArn | undefined {
  const m = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/.exec(text);
  if (!m) return undefined;
  return { partition: m[1]!, service: m[2]!, region: m[3]!, account: m[4] ?? '', resource: m[5]! };
}

/** An AZ name (`us-east-1a`) or AZ ID (`use1-az1`). */
export function isAzIdentifier(text: string): boolean {
  return /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/.test(text) || /^[a-z]{3,5}\d+-az\d+$/.test(text);
}

/** A region code (`eu-west-1`). */
export function isRegionCode(text: string): boolean {
  return /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(text);
}

const EXAMPLE: Record<string, string> = {
  duration: ' (ISO-8601, e.g. "PT10M")',
  boolean: ' ("true" or "false")',
  'az-list': ' (an AZ name or ID, e.g. "us-east-1a")',
  region: ' (a region code, e.g. "us-west-2")',
  'json-object': ' (a JSON object in a string, e.g. "{\\"key\\": \\"value\\"}")',
};

/** Checks parameters against specs: required ones present, no unknown one, each value in its format. */
export function checkParameters(
  path: string,
  params: unknown,
  specs: Readonly<Record<string, FisParameterSpec>>,
  owner: string,
  report: Report,
): void {
  if (params !== undefined && !isObject(params)) return report(path, 'expected an object of string parameters');
  const given = params ?? {};
  const missing = Object.entries(specs).filter(([name, spec]) => spec.required && given[name] === undefined);
  for (const [name, spec] of missing) {
    report(
      params === undefined ? path : childPath(path, name),
      `${owner} needs parameter ${name}; add it${EXAMPLE[spec.check.kind] ?? ''}`,
    );
  }
  for (const [name, value] of Object.entries(given)) {
    const p = childPath(path, name);
    const spec = specs[name];
    if (!spec) {
      const near = Object.keys(specs).find((k) => k.toLowerCase() === name.toLowerCase());
      report(
        p,
        near
          ? `${owner} has no parameter "${name}"; parameter names are case-sensitive: write "${near}"`
          : `${owner} has no parameter "${name}"; ${Object.keys(specs).length ? `use one of ${Object.keys(specs).join(', ')}` : 'it takes none: remove it'}`,
      );
      continue;
    }
    if (typeof value !== 'string') {
      report(p, `FIS parameters are strings; write ${JSON.stringify(JSON.stringify(value))}`);
      continue;
    }
    const problem = valueProblem(value, spec, owner, name);
    if (problem) report(p, problem);
  }
}

/** What is wrong with one parameter value, or undefined. */
export function valueProblem(value: string, spec: FisParameterSpec, owner: string, name: string): string | undefined {
  const c = spec.check;
  switch (c.kind) {
    case 'duration': {
      const ms = parseIsoDuration(value);
      if (ms === undefined) return `"${value}" is not an ISO-8601 duration; write e.g. "PT10M" or "PT1H"`;
      if (ms < c.minMs || ms > c.maxMs) return `${value} is outside ${owner}'s range ${formatMs(c.minMs)}–${formatMs(c.maxMs)} for ${name}`;
      return undefined;
    }
    case 'boolean':
      return /^(true|false)$/i.test(value) ? undefined : `expected "true" or "false", got "${value}"`;
    case 'enum':
      return c.values.includes(value) ? undefined : `expected one of ${c.values.join(', ')}, got "${value}"`;
    case 'enum-list': {
      const bad = value.split(',').filter((v) => !c.values.includes(v.trim()));
      return bad.length === 0 ? undefined : `expected a comma-separated list of ${c.values.join(', ')}; "${bad.join(',')}" is not one`;
    }
    case 'integer':
      return /^-?\d+$/.test(value) && Number(value) >= c.min && Number(value) <= c.max
        ? undefined
        : `expected an integer ${c.min}–${c.max}, got "${value}"`;
    case 'number':
      return /^\d+(\.\d+)?$/.test(value) && Number(value) >= c.min && Number(value) <= c.max
        ? undefined
        : `expected a number ${c.min}–${c.max}, got "${value}"`;
    case 'region':
      return isRegionCode(value) ? undefined : `"${value}" is not a region code; write one such as "us-west-2"`;
    case 'az-list': {
      const bad = value
        .split(',')
        .map((s) => s.trim())
        .filter((az) => !isAzIdentifier(az) && !(az === 'all' && name === 'writerAvailabilityZoneIdentifiers'));
      return bad.length === 0 ? undefined : `"${bad.join(',')}" is not an AZ name or ID; write e.g. "us-east-1a" or "use1-az1"`;
    }
    case 'arn': {
      const arn = parseArn(value);
      return arn && arn.service === c.service ? undefined : `expected an ${c.service} ARN (arn:aws:${c.service}:…), got "${value}"`;
    }
    case 'arn-list': {
      const list = value.split(',').map((s) => s.trim());
      if (list.length > c.max) return `at most ${c.max} ARNs (got ${list.length})`;
      const bad = list.filter((a) => parseArn(a)?.service !== c.service);
      return bad.length === 0 ? undefined : `expected comma-separated ${c.service} ARNs; "${bad.join(',')}" is not one`;
    }
    case 'json-object': {
      try {
        const v: unknown = JSON.parse(value);
        return isObject(v) ? undefined : 'expected a JSON object in the string, e.g. "{\\"key\\": \\"value\\"}"';
      } catch (err) {
        return `not valid JSON (${(err as Error).message}); write a JSON object in the string`;
      }
    }
    case 'string':
      return value.length === 0 ? 'expected a non-empty value' : undefined;
  }
}
