/**
 * YAML parsing with bounds, for text that may be hostile (a runbook file, YAML typed into the
 * Temporal UI): size first, then a linear scan of the nesting before the parser sees it (the
 * `yaml` parser recurses per level and exhausts the stack or the heap on ~10^4 levels), then the
 * alias expansions counted while converting to JS (`maxAliasCount`, a billion-laughs bomb).
 * Every refusal is a {@link YamlBoundError} naming the bound; callers turn it into their own
 * validation failure (never retryable).
 */
import { parseDocument, type Document, type LineCounter } from 'yaml';
import { MAX_RUNBOOK_BYTES, MAX_YAML_ALIASES, MAX_YAML_DEPTH } from './bounds';

/** Text refused by a bound (size, depth, aliases); `line` where known. */
export class YamlBoundError extends Error {
  override readonly name = 'YamlBoundError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Deepest nesting the text can reach: flow brackets plus block indentation steps and compact `- ` entries. */
function nestingProblem(text: string): YamlBoundError | undefined {
  let flow = 0;
  let line = 1;
  let atLineStart = true;
  let indent = 0;
  let dashes = 0;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      atLineStart = true;
      indent = 0;
      dashes = 0;
      comment = false;
      continue;
    }
    if (comment) continue;
    if (atLineStart) {
      if (c === 32) {
        indent++;
        if (indent > MAX_YAML_DEPTH * 8)
          return new YamlBoundError(`indentation deeper than ${MAX_YAML_DEPTH * 8} columns; flatten the document`, line);
        continue;
      }
      if (c === 45 && text.charCodeAt(i + 1) === 32) {
        if (++dashes > MAX_YAML_DEPTH) return new YamlBoundError(`more than ${MAX_YAML_DEPTH} nested "- " entries on one line`, line);
        i++;
        continue;
      }
      atLineStart = false;
    }
    if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32)) comment = true;
    else if (c === 91 || c === 123) {
      if (++flow > MAX_YAML_DEPTH)
        return new YamlBoundError(`nesting deeper than ${MAX_YAML_DEPTH} levels of [ or {; flatten the document`, line);
    } else if ((c === 93 || c === 125) && flow > 0) flow--;
  }
  return undefined;
}

/** Depth of a parsed JS value, iteratively (no recursion on hostile input); stops past `limit`. */
function depthOf(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > limit) return max;
    if (v !== null && typeof v === 'object') for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Parses `text` as one YAML document within the bounds; syntax errors stay in `doc.errors`. */
export function parseBoundedYaml(text: string, lineCounter: LineCounter): { doc: Document; toJS: () => unknown } {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_RUNBOOK_BYTES) throw new YamlBoundError(`${bytes} bytes; a runbook holds at most ${MAX_RUNBOOK_BYTES} bytes (256 KiB)`);
  const problem = nestingProblem(text);
  if (problem) throw problem;
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    throw new YamlBoundError(`YAML not parsed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const toJS = (): unknown => {
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new YamlBoundError(`aliases refused (${why}); at most ${MAX_YAML_ALIASES} alias expansions: write the values out`);
    }
    if (depthOf(value, MAX_YAML_DEPTH) > MAX_YAML_DEPTH)
      throw new YamlBoundError(`nesting deeper than ${MAX_YAML_DEPTH} levels; flatten the document`);
    return value;
  };
  return { doc, toJS };
}
