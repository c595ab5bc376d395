/** Diffing a rendered FIS template with the deployed one. */
import type { FisTemplateDocument } from './document';
import { isObject } from './json-values';

/**
 * Differences between the rendered template and the deployed one, one line per changed leaf:
 * `+ path: value` (only rendered), `- path: value` (only deployed), `~ path: deployed → rendered`.
 * Empty when they are the same. Compares the CreateExperimentTemplate fields only (not ids).
 */
export function diffFisTemplates(rendered: FisTemplateDocument, deployed: FisTemplateDocument | undefined): string[] {
  const pick = (t: FisTemplateDocument): Record<string, unknown> => ({
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
      if (x === undefined || (isObject(x) && Object.keys(x).length === 0) || (Array.isArray(x) && x.length === 0 && k !== 'stopConditions'))
        continue;
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
