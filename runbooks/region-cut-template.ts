/**
 * The region cut's FIS experiment template, built for one runbook and run (no AWS call): one
 * `aws:network:disrupt-connectivity` action (scope `all`) on the subnets of the cut region that
 * carry every blast-radius tag (`blastRadius.requiredTags`, `fis.targetTag` and the runbook's
 * entry-point tag), stopping on the runbook's stop-condition alarms, tagged with the run so its
 * undo finds and deletes it. Validated against the FIS catalog and the runbook's FIS policy.
 */
import { FisTemplateError, GAMEDAY_MANAGED_TAG, alarmArn, judgeFisDocument, runbookKey, type FisTemplateDocument } from './fis-templates';
import type { Runbook } from './schema';

/** Library-style name of the template (its `gameday-template` tag). */
export const REGION_CUT_TEMPLATE = 'region-cut';
/** Name of the cut action in the template. */
export const CUT_ACTION = 'Cut-Entry-Points';
/** Tag naming the run a template belongs to (the undo deletes by it). */
export const RUN_TAG = 'gameday-run';

/** The template of a cut of `region` for run `workflowId`; throws `FisTemplateError` when it is not valid FIS or refused by policy. */
export function regionCutTemplate(rb: Runbook, region: string, duration: string, workflowId: string): FisTemplateDocument {
  const fis = rb.fis!;
  const cut = rb.regionCut!;
  const doc: FisTemplateDocument = {
    description: `gameday ${runbookKey(rb)}: cut the entry points of ${region}`,
    roleArn: fis.roleArn,
    targets: {
      EntryPointSubnets: {
        resourceType: 'aws:ec2:subnet',
        resourceTags: {
          ...rb.blastRadius.requiredTags,
          [fis.targetTag.key]: fis.targetTag.value,
          [cut.entryPointTag.key]: cut.entryPointTag.value,
        },
        selectionMode: 'ALL',
      },
    },
    actions: {
      [CUT_ACTION]: {
        actionId: 'aws:network:disrupt-connectivity',
        description: `Deny all traffic of the entry-point subnets of ${region}`,
        parameters: { duration, scope: 'all' },
        targets: { Subnets: 'EntryPointSubnets' },
      },
    },
    stopConditions: rb.alarms.stopConditions.map((a) => ({ source: 'aws:cloudwatch:alarm', value: alarmArn(region, rb.account, a) })),
    tags: {
      [GAMEDAY_MANAGED_TAG]: 'true',
      'gameday-template': REGION_CUT_TEMPLATE,
      'gameday-runbook': runbookKey(rb),
      'gameday-region': region,
      [RUN_TAG]: workflowId,
    },
  };
  const issues = judgeFisDocument(REGION_CUT_TEMPLATE, doc, { runbook: rb, region }).issues;
  if (issues.length > 0) throw new FisTemplateError(issues);
  return doc;
}
