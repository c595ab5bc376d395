/**
 * The blast radius, in two layers:
 * - a runbook's own `blastRadius`: every ARN and AWS hostname anywhere in the runbook (secret,
 *   role, alarm, routing control, subnet, endpoint, …, found by a generic walk) must name one of its
 *   accounts and regions (`checkRunbookReferences`, run by the schema);
 * - the worker's policy (`WorkerPolicy`, from the worker's environment or policy file): a runbook,
 *   whether a file, a name or inline YAML, may only narrow it. `resolvePolicedRunbook` is how every
 *   activity loads a runbook: inline YAML is refused unless the worker allows it, a runbook name
 *   outside the policy is refused, and a runbook whose blast radius reaches past the policy is
 *   refused, each before any AWS call, with the field and the fix.
 */
import { outsideScope } from './aws-references';
import { listRunbookFiles, loadRunbookFile, resolveRunbookRef, RunbookValidationError, type RunbookIssue, type RunbookRef } from './load';
import type { Runbook } from './schema';

/** What the worker may act on; a runbook can only narrow it. */
export interface WorkerPolicy {
  /** AWS accounts the worker may touch. */
  readonly accounts: readonly string[];
  /** AWS regions the worker may touch. */
  readonly regions: readonly string[];
  /** Runbook names the worker runs; absent = every runbook of its folder. */
  readonly runbooks?: readonly string[];
  /** Whether workflow input may carry a runbook as YAML text (`runbookYaml`). */
  readonly allowInlineRunbooks: boolean;
  /** Where the policy came from (variables, file, runbook folder), for messages. */
  readonly source: string;
}

/** Problems of a loaded runbook against the worker's policy (empty = allowed). */
export function policyIssues(rb: Runbook, name: string, policy: WorkerPolicy, file = name): RunbookIssue[] {
  const issues: RunbookIssue[] = [];
  const fix = `the worker's policy (${policy.source}) allows`;
  if (policy.runbooks && !policy.runbooks.includes(name))
    issues.push({ file, path: 'runbook', message: `runbook "${name}" is not one this worker runs; ${fix} ${policy.runbooks.join(', ')}` });
  rb.blastRadius.accounts.forEach((a, i) => {
    if (!policy.accounts.includes(a))
      issues.push({
        file,
        path: `blastRadius.accounts.${i}`,
        message: `account ${a} is outside the worker's blast radius; ${fix} accounts ${policy.accounts.join(', ')}: remove it from the runbook, or have the worker's operator add it`,
      });
  });
  rb.blastRadius.regions.forEach((r, i) => {
    if (!policy.regions.includes(r))
      issues.push({
        file,
        path: `blastRadius.regions.${i}`,
        message: `region ${r} is outside the worker's blast radius; ${fix} regions ${policy.regions.join(', ')}: remove it from the runbook, or have the worker's operator add it`,
      });
  });
  // Belt and braces: the schema keeps every reference inside the runbook's blast radius.
  for (const v of outsideScope(rb, policy)) {
    if (!issues.some((i) => i.path === v.path))
      issues.push({
        file,
        path: v.path,
        message: `${v.what} ${v.value} is outside the worker's blast radius (${fix} ${(v.what === 'account' ? policy.accounts : policy.regions).join(', ')}); use a resource inside it`,
      });
  }
  return issues;
}

/** Where activities load runbooks from, and under which policy (`ActivityDeps` is one). */
export interface RunbookSource {
  readonly runbookDir: string;
  /** The worker's policy; absent = the union of the folder's runbooks, inline YAML off. */
  readonly policy?: WorkerPolicy;
}

const folderPolicies = new Map<string, WorkerPolicy>();

/**
 * The policy of a worker configured with nothing but its runbook folder (the simulated AWS):
 * the accounts and regions of the folder's valid runbooks, inline YAML off.
 */
export function folderPolicy(dir: string): WorkerPolicy {
  const cached = folderPolicies.get(dir);
  if (cached) return cached;
  const accounts = new Set<string>();
  const regions = new Set<string>();
  for (const file of listRunbookFiles(dir)) {
    try {
      const rb = loadRunbookFile(file);
      rb.blastRadius.accounts.forEach((a) => accounts.add(a));
      rb.blastRadius.regions.forEach((r) => regions.add(r));
    } catch (err) {
      if (!(err instanceof RunbookValidationError)) throw err; // an invalid runbook widens nothing
    }
  }
  const policy: WorkerPolicy = {
    accounts: [...accounts],
    regions: [...regions],
    allowInlineRunbooks: false,
    source: `the runbooks in ${dir}`,
  };
  folderPolicies.set(dir, policy);
  return policy;
}

/** The policy `src` runs under. */
export function policyOf(src: RunbookSource): WorkerPolicy {
  return src.policy ?? folderPolicy(src.runbookDir);
}

/**
 * Loads a runbook the way every activity must: inline YAML only when the worker allows it (checked
 * before the YAML is parsed), then the runbook's name and blast radius against the worker's policy.
 * Throws `RunbookValidationError` (callers map it to their non-retryable failure).
 */
export function resolvePolicedRunbook(ref: RunbookRef, src: RunbookSource): { name: string; runbook: Runbook; fromYaml: boolean } {
  const policy = policyOf(src);
  if (ref.runbookYaml !== undefined && !policy.allowInlineRunbooks) {
    throw new RunbookValidationError([
      {
        file: '<input>',
        path: 'runbookYaml',
        message: `inline runbook YAML is off on this worker: pass {"runbook":"<name>"} of a runbook in the worker's folder, or have the worker's operator set GAMEDAY_ALLOW_INLINE_RUNBOOKS=true`,
      },
    ]);
  }
  const resolved = resolveRunbookRef(ref, src.runbookDir);
  const issues = policyIssues(resolved.runbook, resolved.name, policy, resolved.fromYaml ? 'runbookYaml' : resolved.name);
  if (issues.length > 0) throw new RunbookValidationError(issues);
  return resolved;
}
