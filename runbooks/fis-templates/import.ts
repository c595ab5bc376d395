/**
 * Importing an existing CreateExperimentTemplate document into the library: the runbook-specific
 * values become the library's placeholders (role, stop conditions, tags, the account and region
 * inside ARNs), so the template renders for any runbook and AZ like the library's own.
 */
import { isObject } from './json-values';

/** The library form of an imported document, and what the conversion changed. */
export interface ImportedFisTemplate {
  /** The library template (with `$gameday` and placeholders), ready to write as `<name>.json`. */
  readonly template: Record<string, unknown>;
  /** One line per change, e.g. `$.roleArn → {{roleArn}}`. */
  readonly changes: readonly string[];
}

/** Options of `toLibraryTemplate`. */
export interface ImportOptions {
  /** Where the document came from (kept in `$gameday.importedFrom`). */
  readonly source: string;
  /** The account whose id becomes `{{account}}` in ARNs. */
  readonly account: string;
  /** The region that becomes `{{region}}` in ARNs. @default none */
  readonly region?: string;
}

/** Converts a valid CreateExperimentTemplate document to the library form. */
export function toLibraryTemplate(doc: Record<string, unknown>, opts: ImportOptions): ImportedFisTemplate {
  const changes: string[] = [];
  const replaceArns = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      const out = v.replace(
        /^(arn:aws[a-z-]*:[a-z0-9-]+:)([a-z0-9-]*):(\d{12})?:/,
        (_m, head: string, region: string, account?: string) => {
          const r = opts.region && region === opts.region ? '{{region}}' : region;
          const a = account === opts.account ? '{{account}}' : (account ?? '');
          return `${head}${r}:${a}:`;
        },
      );
      if (out !== v) changes.push(`${path}: ${v} → ${out}`);
      return out;
    }
    if (Array.isArray(v)) return v.map((x, i) => replaceArns(x, `${path}[${i}]`));
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceArns(x, `${path}.${k}`)]));
    return v;
  };
  const description = typeof doc.description === 'string' ? doc.description : '';
  const template: Record<string, unknown> = {
    $gameday: { summary: description, requires: [], importedFrom: opts.source },
    description: `gameday {{runbook}}: ${description}`,
    roleArn: '{{roleArn}}',
    targets: replaceArns(doc.targets ?? {}, '$.targets'),
    actions: replaceArns(doc.actions, '$.actions'),
    stopConditions: '{{stopConditions}}',
    tags: '{{tags}}',
  };
  changes.unshift(
    '$.description: prefixed with "gameday {{runbook}}: "',
    `$.roleArn: ${String(doc.roleArn)} → {{roleArn}} (the runbook's fis.roleArn)`,
    '$.stopConditions → {{stopConditions}} (the runbook alarms.stopConditions)',
    `$.tags → {{tags}} (gameday's managed tags${isObject(doc.tags) && Object.keys(doc.tags).length ? `; dropped: ${Object.keys(doc.tags).join(', ')}` : ''})`,
  );
  for (const k of ['experimentOptions', 'logConfiguration', 'experimentReportConfiguration'] as const) {
    if (doc[k] !== undefined) template[k] = replaceArns(doc[k], `$.${k}`);
  }
  return { template, changes };
}
