/**
 * The runbook schema's blast-radius rule for references: every ARN and AWS hostname anywhere in a
 * runbook (found by the generic walk of `aws-references.ts`, not by a list of fields) names one of
 * the runbook's own `blastRadius` accounts and regions.
 */
import type { z } from 'zod';
import { outsideScope } from './aws-references';

/** The part of a runbook the check reads. */
interface Scoped {
  readonly blastRadius: { readonly accounts: readonly string[]; readonly regions: readonly string[] };
}

/** The runbook schema's check: every ARN and AWS hostname inside the runbook's own blast radius. */
export function checkRunbookReferences(rb: Scoped, ctx: z.RefinementCtx): void {
  const { blastRadius, ...rest } = rb;
  for (const v of outsideScope(rest, blastRadius)) {
    const list = v.what === 'account' ? blastRadius.accounts : blastRadius.regions;
    ctx.addIssue({
      code: 'custom',
      path: v.path.split('.'),
      message: `${v.kind === 'arn' ? 'ARN' : 'AWS endpoint'} in ${v.what} ${v.value}, outside blastRadius.${v.what}s (${list.join(', ')}); use a resource inside the blast radius or add the ${v.what} to blastRadius.${v.what}s`,
    });
  }
}
