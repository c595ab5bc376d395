/**
 * The run's "Current Details" in the Temporal Web UI, in words a person reads: what the run is
 * doing, what it waits for and how to answer (update name and an example payload), the RTO budget
 * left, every step so far, and once a drill ended its verdict with the figures it rests on. Pure
 * (renders a `RunStatus` and the final report to Markdown); deterministic.
 */
import type { RunStatus } from '../../contracts/run';
import type { Figure, RunReport } from '../../lib/measurement-types';
import { formatDuration } from '../../lib/report/format';
import { verdictOf } from './finish-run';

const MARK: Record<string, string> = { done: '✓', failed: '✗', skipped: '–', running: '…', cancelled: '■', pending: ' ' };

/** The RTO budget left in words (as of the latest AWS reading; a person's wait counts at wall time). */
function budgetLine(leftMs: number, budgetMs: number | undefined): string {
  const of = budgetMs !== undefined ? ` of ${formatDuration(budgetMs)}` : '';
  const when = "as of the latest AWS reading; a person's wait counts at its wall duration";
  return leftMs >= 0
    ? `RTO budget left: ${formatDuration(leftMs)}${of} (${when})`
    : `RTO budget overrun by ${formatDuration(-leftMs)}${of} (${when})`;
}

/** One figure in words: `RTO 1 min 02 s against 15 min 00 s: PASS`, or why it is not measured. */
function figure(name: string, f: Figure): string {
  return f.status === 'measured'
    ? `${name} ${formatDuration(f.valueMs)} against ${formatDuration(f.targetMs)}: ${f.verdict.toUpperCase()}`
    : `${name} not measured (${f.reason})`;
}

/** The verdict of a finished drill and the service figures it rests on. */
function verdictLines(r: RunReport): string[] {
  const m = r.measurement;
  return [`**Verdict: ${verdictOf(r).toUpperCase()}** (outcome ${r.outcome}) — ${figure('RTO', m.rto)}; ${figure('RPO', m.rpo)}.`, ''];
}

/** Markdown of `s` (and of the final report of a drill that ended) for the UI's Current Details (see the module doc). */
export function detailsMarkdown(s: RunStatus, final?: RunReport): string {
  const lines = [`**${s.workflow}**${s.runbook ? ` · runbook \`${s.runbook}\`` : ''} · ${s.phase}`, ''];
  if (final && s.phase !== 'running' && s.phase !== 'undoing') lines.push(...verdictLines(final));
  lines.push(
    s.phase === 'running' ? `Now: **${s.step}**${s.detail ? ` — ${s.detail}` : ''}` : `Ended ${s.phase}${s.detail ? `: ${s.detail}` : ''}`,
  );
  if (s.awaiting) {
    const who = s.awaiting.who.length > 0 ? s.awaiting.who.join(', ') : 'anyone with access to the namespace';
    lines.push('', `**Waiting for ${s.awaiting.what}** by ${who} (times out after ${formatDuration(s.awaiting.timeoutMs)}).`);
    lines.push(
      `Answer with *More Actions → Send an Update* → \`${s.awaiting.updates.join('` or `')}\`, payload \`${JSON.stringify(s.awaiting.example)}\`; or \`${s.awaiting.cli ?? 'gameday approve <workflow id> --by NAME'}\`.`,
    );
  }
  const child = (s.data as { child?: { workflowId: string; workflow: string; step?: string; phase: string } } | undefined)?.child;
  if (child && s.phase === 'running')
    lines.push('', `Child run \`${child.workflowId}\` (${child.workflow}): ${child.step ? `step **${child.step}**, ` : ''}${child.phase}`);
  const rto = s.data as { rtoBudgetLeftMs?: number; rtoBudgetMs?: number } | undefined;
  if (rto?.rtoBudgetLeftMs !== undefined && s.phase === 'running') lines.push('', budgetLine(rto.rtoBudgetLeftMs, rto.rtoBudgetMs));
  if (s.pointOfNoReturn)
    lines.push(
      '',
      `Point of no return: ${s.pointOfNoReturn.what} — ${s.pointOfNoReturn.passed ? 'passed: abort and cancel are refused' : 'not passed: abort stops cleanly'}`,
    );
  const started = s.steps.filter((x) => x.state !== 'pending');
  if (started.length > 0) lines.push('', ...started.map((x) => `- ${MARK[x.state] ?? ''} ${x.step}${x.detail ? `: ${x.detail}` : ''}`));
  if (s.undo.length > 0) lines.push('', 'Undo:', ...s.undo.map((u) => `- ${MARK[u.state] ?? ''} ${u.step}`));
  return lines.join('\n');
}
