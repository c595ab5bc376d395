/**
 * The static summary and details every run gameday starts carries in the Temporal Web UI (the
 * workflow list's Summary column and the run page's User Metadata tab): which playbook, which
 * runbook, what it targets, who or what started it, and how to follow, abort or answer it. One
 * helper for the CLI, the schedules and the demo, so every run reads the same. The live state
 * (current step, the approval wait, RTO budget left) is the run's own Current Details
 * (`workflows/kit/current-details.ts`). Pure, client-side.
 */

/** What `client.workflow.start` / a schedule action takes: Temporal's user metadata of a run. */
export interface RunMetadata {
  /** One line, at most {@link SUMMARY_MAX_BYTES} bytes (Temporal's limit). */
  readonly staticSummary: string;
  /** Markdown shown under Details. */
  readonly staticDetails: string;
}

/** Temporal's limit on a static summary, bytes. */
export const SUMMARY_MAX_BYTES = 200;

/** The playbooks' names as a person says them, by workflow type. */
export const PLAYBOOK_NAMES: Readonly<Record<string, string>> = {
  regionPromotionWorkflow: 'Region promotion',
  azLossGameDayWorkflow: 'AZ-loss game day',
  restoreVerificationWorkflow: 'Restore verification',
  backtrackDrillWorkflow: 'Backtrack drill',
  trafficShiftWorkflow: 'Traffic shift',
  preflightWorkflow: 'Preflight',
  fisTemplatesWorkflow: 'FIS templates',
  orphanSweeperWorkflow: 'Orphan sweep',
};

/** Updates a person answers a playbook with (beyond `requestAbort`), by workflow type. */
const ANSWERS: Readonly<Record<string, string>> = {
  regionPromotionWorkflow:
    'Waits for approval: *Send an Update* → `approvePromotion` (or `rejectPromotion`) with `{"by": "<approver>", "reason": "..."}`; Current Details name the approvers.',
};

type Input = Readonly<Record<string, unknown>> | string | undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** The runbook (or runbooks) a run works on, from its input. */
function runbookOf(input: Input): string | undefined {
  if (typeof input === 'string') return input;
  const many = input?.runbooks;
  if (Array.isArray(many) && many.length > 0) return many.join(', ');
  return str(input?.runbook);
}

/** What the run targets, in words, from its input (undefined when it says nothing more). */
function targetOf(workflowType: string, i: Readonly<Record<string, unknown>>): string | undefined {
  switch (workflowType) {
    case 'regionPromotionWorkflow':
      return `${str(i.mode) ?? 'promotion'} to ${str(i.targetRegion) ?? '?'}${i.failback === true ? ', then failback' : ''}${str(i.incidentId) ? ` (incident ${str(i.incidentId)})` : ''}`;
    case 'trafficShiftWorkflow':
      return `traffic to ${str(i.targetRegion) ?? '?'}`;
    case 'azLossGameDayWorkflow':
      return `loss of ${str(i.az) ?? '?'}${str(i.template) ? ` (${str(i.template)})` : ''}`;
    case 'fisTemplatesWorkflow':
      return `${str(i.mode) ?? 'apply'} for ${str(i.az) ?? '?'}`;
    case 'restoreVerificationWorkflow':
      return str(i.snapshotId) ? `from snapshot ${str(i.snapshotId)}` : str(i.to) ? `to ${str(i.to)}` : 'to the latest restorable time';
    case 'orphanSweeperWorkflow':
      return `${i.dryRun === true ? 'dry run, ' : ''}older than ${str(i.olderThan) ?? 'the default threshold'}`;
    default:
      return undefined;
  }
}

/** Cuts `s` to at most `max` UTF-8 bytes, ending with an ellipsis when cut. */
function clip(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  let out = s;
  while (Buffer.byteLength(`${out}…`, 'utf8') > max) out = out.slice(0, -1);
  return `${out}…`;
}

/**
 * The static summary and details of a run of `workflowType` with `input`, started by `startedBy`
 * (e.g. `gameday promote-region`, `schedule gameday-nightly-restore-verification-analytics-prod`,
 * `npm run demo`). Never includes the input's runbook YAML or anything secret: only names.
 */
export function runMetadata(workflowType: string, input: unknown, startedBy: string): RunMetadata {
  const i: Readonly<Record<string, unknown>> = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const playbook = PLAYBOOK_NAMES[workflowType] ?? workflowType;
  const runbook = runbookOf(typeof input === 'string' ? input : i);
  const target = targetOf(workflowType, i);
  const summary = [playbook, runbook, target].filter((x): x is string => !!x).join(' · ');
  const rows: [string, string | undefined][] = [
    ['Playbook', `${playbook} (\`${workflowType}\`)`],
    ['Runbook', runbook && `\`${runbook}\``],
    ['Target', target],
    ['Started by', startedBy],
  ];
  const details = [
    '| | |',
    '| --- | --- |',
    ...rows.filter((r): r is [string, string] => r[1] !== undefined).map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`),
    '',
    '**Follow it**: Current Details (this tab) show the live step, what the run waits for and the RTO budget left; Queries → `status` (the same as JSON) and `report` (the measured report so far); or `gameday status <workflow id>`.',
    '',
    '**Stop it**: *Send a Signal* → `abort` with `{"reason": "...", "by": "<you>"}`, or *Send an Update* → `requestAbort` (answers whether it will stop); refused after the point of no return.',
    ...(ANSWERS[workflowType] ? ['', `**Answer it**: ${ANSWERS[workflowType]}`] : []),
  ];
  return { staticSummary: clip(summary, SUMMARY_MAX_BYTES), staticDetails: details.join('\n') };
}
