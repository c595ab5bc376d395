/**
 * Helpers of the preflight checks: a read that turns a missing or denied resource into a failed
 * check, the check constructor and small parsers of AWS names.
 */
import type { PreflightCheck } from '../../contracts/preflight';
import { classifyAwsError, redactSecrets, toApplicationFailure } from '../aws/errors';
import type { ResourceRecordSet } from '../aws/ports';

/**
 * Runs a read; a missing resource or a denied read (classified by `activities/aws/errors.ts`)
 * becomes `{ missing: "<ErrName>: <message>" }`, a failed check. Other errors are thrown as the
 * mapped `ApplicationFailure` (throttling and 5xx retry).
 */
export async function read<T>(fn: () => Promise<T>): Promise<{ value: T; missing?: undefined } | { value?: undefined; missing: string }> {
  try {
    return { value: await fn() };
  } catch (err) {
    const c = classifyAwsError(err);
    if (c.category === 'not-found' || c.category === 'auth') {
      return { missing: `${c.type}: ${redactSecrets(err instanceof Error ? err.message : String(err))}` };
    }
    throw toApplicationFailure(err);
  }
}

/** One check result: what was expected and what was found. */
export function check(name: string, ok: boolean, expected: string, found: string): PreflightCheck {
  return { name, ok, expected, found };
}

/** Cluster id from an RDS cluster ARN (`arn:aws:rds:<region>:<acct>:cluster:<id>`). */
export function clusterIdOf(arn: string): { id: string; region: string } {
  const parts = arn.split(':');
  return { id: parts[6] ?? arn, region: parts[3] ?? '?' };
}

/** Route 53 names compared without the trailing dot and case. */
export function sameName(a: string, b: string): boolean {
  return a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();
}

/** Where a record set points (alias target or values). */
export function targetOf(rs: ResourceRecordSet): string {
  if (rs.aliasTarget) return rs.aliasTarget.dnsName;
  return (rs.values ?? []).join(',') || '(no value)';
}
