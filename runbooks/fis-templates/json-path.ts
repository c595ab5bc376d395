/** JSON paths of template documents: `$.actions.Stop-Instances.parameters.duration`, `$.stopConditions[0]`. */

/** The path of `key` under `path` (bracketed when the key is not a plain word). */
export function childPath(path: string, key: string): string {
  return /^[A-Za-z0-9_$-]+$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** The path of element `i` of the array at `path`. */
export function indexPath(path: string, i: number): string {
  return `${path}[${i}]`;
}
