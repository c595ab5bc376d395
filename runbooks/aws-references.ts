/**
 * Finds every AWS account and region a value refers to, by walking it generically (no list of
 * fields): ARNs (`arn:aws:<service>:<region>:<account>:…`, also inside longer strings) and AWS
 * hostnames (`….<region>.amazonaws.com`). The runbook schema, the worker's policy check and the
 * guard around the AWS ports all use this one walk, so a field added later is covered too.
 */

/** One AWS reference found in a value, with the dotted path of the field that holds it. */
export interface AwsReference {
  /** Dotted path, e.g. `canary.secretArn` or `fis.subnetArns.us-east-1a.0`. */
  readonly path: string;
  /** `arn` or `hostname`. */
  readonly kind: 'arn' | 'hostname';
  /** The account the reference names (absent for global or account-less ARNs and hostnames). */
  readonly account?: string;
  /** The region the reference names (absent for global services such as IAM or Route 53). */
  readonly region?: string;
  /** The ARN's service (`secretsmanager`, `iam`, …) or the hostname's service label. */
  readonly service?: string;
}

const ARN = /arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:[^\s"',;)\]}]+/g;
const HOSTNAME = /(?:^|[./@])((?:[a-z]{2}(?:-gov)?|cn)-[a-z]+-\d)\.((?:[a-z0-9-]+\.)*)amazonaws\.com(?:\.cn)?\b/g;

/** The AWS references inside one string (`path` is the field that holds it). */
export function referencesIn(text: string, path: string): AwsReference[] {
  const found: AwsReference[] = [];
  for (const m of text.matchAll(ARN)) {
    const [, service, region, account] = m;
    found.push({
      path,
      kind: 'arn',
      ...(service ? { service } : {}),
      ...(region ? { region } : {}),
      ...(account && account !== 'aws' ? { account } : {}),
    });
  }
  for (const m of text.matchAll(HOSTNAME)) {
    const region = m[1]!;
    const labels = (m[2] ?? '').split('.').filter(Boolean);
    found.push({ path, kind: 'hostname', region, ...(labels[0] ? { service: labels[0] } : {}) });
  }
  return found;
}

/** Every AWS reference in `value` (strings, keys of maps and array items, at any depth). */
export function findAwsReferences(value: unknown, path: readonly (string | number)[] = [], depth = 0): AwsReference[] {
  if (depth > 64) return [];
  const here = path.map(String).join('.');
  if (typeof value === 'string') return referencesIn(value, here);
  if (Array.isArray(value)) return value.flatMap((v, i) => findAwsReferences(v, [...path, i], depth + 1));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [
      ...referencesIn(k, [...path, k].map(String).join('.')),
      ...findAwsReferences(v, [...path, k], depth + 1),
    ]);
  }
  return [];
}

/** What a reference must stay inside: allowed accounts and regions (each list non-empty). */
export interface AwsScope {
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

/** One reference outside a scope: its path, what is outside and the value that is. */
export interface ScopeViolation {
  readonly path: string;
  readonly what: 'account' | 'region';
  readonly value: string;
  readonly kind: AwsReference['kind'];
}

/** The references of `value` whose account or region lies outside `scope`. */
export function outsideScope(value: unknown, scope: AwsScope, path: readonly (string | number)[] = []): ScopeViolation[] {
  const out: ScopeViolation[] = [];
  for (const r of findAwsReferences(value, path)) {
    if (r.account !== undefined && !scope.accounts.includes(r.account))
      out.push({ path: r.path, what: 'account', value: r.account, kind: r.kind });
    if (r.region !== undefined && !scope.regions.includes(r.region))
      out.push({ path: r.path, what: 'region', value: r.region, kind: r.kind });
  }
  return out;
}
