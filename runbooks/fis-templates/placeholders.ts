/**
 * Placeholders left in a template: the forms published templates use for "fill this in"
 * (`{{name}}`, `${VAR}`, `<YOUR REGION>`, `<account-id>`, `your_bucket`, `REPLACE_ME`, `__ACCOUNT__`,
 * `XXXXXXXXXXXX`, AWS's documentation sample account `123456789012`, ids ending in `EXAMPLE`), found
 * in keys and values anywhere in the document, each with its JSON path.
 */
import { childPath, indexPath } from './json-path';
import { isObject } from './json-values';

/** One placeholder found in a document. */
export interface FoundPlaceholder {
  /** JSON path of the value (or of the object whose key holds it). */
  readonly path: string;
  /** The placeholder text as written. */
  readonly text: string;
  /** Which form it is, e.g. `{{…}}`. */
  readonly form: string;
  /** True when the placeholder is in a key rather than a value. */
  readonly inKey: boolean;
}

const FORMS: readonly { form: string; re: RegExp }[] = [
  { form: '{{…}}', re: /\{\{[^{}]*\}\}/g },
  { form: '${…}', re: /\$\{[^{}]*\}/g },
  { form: '<…>', re: /<[A-Za-z][A-Za-z0-9 _.:/-]{0,60}>/g },
  { form: 'your_…', re: /\b[Yy][Oo][Uu][Rr][_-][A-Za-z0-9_-]+/g },
  { form: 'REPLACE_ME', re: /\b(?:REPLACE[_-]?ME|REPLACE[_-]?WITH[_A-Za-z-]*|CHANGE[_-]?ME|FILL[_-]?ME[_-]?IN)\b/gi },
  { form: 'TODO', re: /\b(?:TODO|FIXME|TBD|PLACEHOLDER)\b/g },
  { form: '__NAME__', re: /__[A-Z][A-Z0-9_]*__/g },
  { form: 'XXXX', re: /\b[Xx]{4,}\b/g },
  { form: 'sample account 123456789012', re: /\b123456789012\b/g },
  { form: '…EXAMPLE', re: /\b[A-Za-z0-9-]+EXAMPLE[A-Za-z0-9]*\b/g },
];

/** Placeholders in one string, in order of appearance (each text once per form). */
export function placeholdersIn(text: string): { text: string; form: string }[] {
  const out: { text: string; form: string; at: number }[] = [];
  const seen = new Set<string>();
  for (const { form, re } of FORMS) {
    for (const m of text.matchAll(re)) {
      // `<…>` only counts when it is not already inside another placeholder form found at the same spot.
      if (seen.has(`${m.index}`)) continue;
      seen.add(`${m.index}`);
      out.push({ text: m[0], form, at: m.index });
    }
  }
  return out.sort((a, b) => a.at - b.at).map(({ text: t, form }) => ({ text: t, form }));
}

/** Every placeholder in a JSON document, with its path. */
export function findPlaceholders(doc: unknown, path = '$'): FoundPlaceholder[] {
  if (typeof doc === 'string') return placeholdersIn(doc).map((p) => ({ ...p, path, inKey: false }));
  if (Array.isArray(doc)) return doc.flatMap((v, i) => findPlaceholders(v, indexPath(path, i)));
  if (isObject(doc)) {
    return Object.entries(doc).flatMap(([k, v]) => [
      ...placeholdersIn(k).map((p) => ({ ...p, path: childPath(path, k), inKey: true })),
      ...findPlaceholders(v, childPath(path, k)),
    ]);
  }
  return [];
}
