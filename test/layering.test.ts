/**
 * The layering the lint rules enforce, checked again without lint (belt and braces):
 * - the worker registers every export of `workflows/index.ts` as a workflow type, so it exports
 *   only workflow functions, each named `…Workflow`;
 * - no file under `activities/` imports `workflows/` or `sim/`, and none under `runbooks/` imports
 *   `activities/` (type imports included), found with the TypeScript compiler's own import scanner.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import * as workflows from '../workflows';

const ROOT = resolve(__dirname, '..');

/** Every `.ts` file below `dir` (relative to the repo root). */
function tsFilesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** The top-level repo paths that `file`'s relative imports (static, dynamic, `require`, `import type`) reach. */
function importedRepoPaths(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => relative(ROOT, resolve(ROOT, dirname(file), spec)));
}

/** `file → import` pairs where a file below `from` imports something below one of `banned`. */
function violations(from: string, banned: readonly string[]): string[] {
  return tsFilesUnder(from).flatMap((file) =>
    importedRepoPaths(file)
      .filter((target) => banned.some((b) => target === b || target.startsWith(`${b}/`)))
      .map((target) => `${file} → ${target}`),
  );
}

describe('workflows/index.ts', () => {
  it('exports only workflow functions, each named …Workflow', () => {
    const exported = Object.entries(workflows);
    expect(exported.length).toBeGreaterThan(0);
    const strays = exported.filter(([name, value]) => typeof value !== 'function' || !name.endsWith('Workflow')).map(([name]) => name);
    expect(strays).toEqual([]);
  });
});

describe('import layering', () => {
  it('finds the imports it scans for (the scanner sees type imports and requires)', () => {
    const info = ts.preProcessFile("import type { A } from '../workflows/messages';\nconst s = require('../sim');\n", true, true);
    expect(info.importedFiles.map((f) => f.fileName)).toEqual(['../workflows/messages', '../sim']);
  });

  it('activities/ imports neither workflows/ nor sim/', () => {
    expect(tsFilesUnder('activities').length).toBeGreaterThan(10);
    expect(violations('activities', ['workflows', 'sim'])).toEqual([]);
  });

  it('runbooks/ imports nothing from activities/', () => {
    expect(violations('runbooks', ['activities'])).toEqual([]);
  });
});
