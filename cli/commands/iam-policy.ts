/**
 * `gameday iam-policy --runbook NAME [--scenario …] [--worker-account ID] [--json]`: prints the least-privilege IAM
 * policies a runbook needs: the worker role's (for the playbooks it enables, or those named with
 * `--scenario`) and the FIS experiment role's. Generated from the runbook alone (no AWS call).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { PLAYBOOKS, type Playbook } from '../../lib/iam/aws-actions';
import { generateIamPolicies, playbookAvailability, PlaybookNotEnabledError, type IamPolicies } from '../../lib/iam/iam-policy';
import type { CliContext } from '../context';
import { UsageError } from '../output';
import { localRunbook } from './fis';

/** Options of `gameday iam-policy`, validated before any work. */
export const IamPolicyOptions = z.strictObject({
  runbook: z.string({ error: '--runbook <name|file> is required, e.g. --runbook payments-prod' }).min(1),
  scenario: z.array(z.enum(PLAYBOOKS, { error: `--scenario: expected one of ${PLAYBOOKS.join(', ')}` })).default([]),
  workerAccount: z
    .string()
    .regex(/^\d{12}$/, '--worker-account: expected the 12-digit account id the worker runs in')
    .optional(),
});
/** Parsed options of `gameday iam-policy`. */
export type IamPolicyOptions = z.infer<typeof IamPolicyOptions>;

/** Human rendering: each policy as JSON under a heading that says where to attach it. */
export function formatIamPolicies(p: IamPolicies): string {
  const parts = [
    `# ${p.runbook}: playbooks ${p.playbooks.join(', ')}`,
    '',
    '## Worker role: attach as the permissions policy of the role the gameday worker runs as',
    JSON.stringify(p.worker, null, 2),
  ];
  if (p.fisRole) {
    parts.push(
      '',
      `## FIS experiment role ${p.fisRole.roleArn}: permissions policy`,
      JSON.stringify(p.fisRole.permissions, null, 2),
      '',
      `## FIS experiment role ${p.fisRole.roleArn}: trust policy`,
      JSON.stringify(p.fisRole.trust, null, 2),
    );
  }
  return `${parts.join('\n')}\n`;
}

/** Registers `iam-policy`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('iam-policy')
    .description('print least-privilege IAM policies (worker role, FIS experiment role) for a runbook')
    .option('--runbook <name|file>', 'runbook name (in runbooks/) or a YAML file')
    .option('--scenario <playbook...>', `only these playbooks (and preflight): ${PLAYBOOKS.join(', ')}`)
    .option('--worker-account <id>', "account the worker runs in, when not the runbook's (adds sts:AssumeRole into gameday-* roles there)")
    .action((raw: { runbook?: string; scenario?: string[]; workerAccount?: string }, cmd: Command) => {
      const parsed = IamPolicyOptions.safeParse({
        runbook: raw.runbook,
        scenario: raw.scenario?.flatMap((s) => s.split(',')),
        workerAccount: raw.workerAccount,
      });
      if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
      const { runbook } = oneLine(() => localRunbook(parsed.data.runbook));
      let policies: IamPolicies;
      try {
        policies = generateIamPolicies(runbook, {
          scenarios: parsed.data.scenario as Playbook[],
          ...(parsed.data.workerAccount ? { workerAccount: parsed.data.workerAccount } : {}),
        });
      } catch (err) {
        if (err instanceof PlaybookNotEnabledError) {
          const enabled = playbookAvailability(runbook)
            .filter((a) => a.enabled)
            .map((a) => a.playbook);
          throw new UsageError(`--scenario: ${err.message}; this runbook enables ${enabled.join(', ')}`);
        }
        throw err;
      }
      ctx.output(cmd).result(formatIamPolicies(policies), policies);
    });
}

/** Runs `load`, turning a multi-line runbook error into one line that names `--runbook`. */
function oneLine<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`--runbook: ${err.message.replace(/^invalid runbook:\n/, '').split('\n')[0]}`);
    throw err;
  }
}
