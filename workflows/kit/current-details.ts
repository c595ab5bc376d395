/**
 * The run's "Current Details" in the Temporal Web UI, in words a person reads: what the run is
 * doing, what it waits for and how to answer (update name and an example payload), the RTO budget
 * left, and every step so far. Pure (renders a `RunStatus` to Markdown); deterministic.
 */
import type { RunStatus } from '../../contracts/run';
import { formatDuration } from '../../lib/report/format';

const MARK: Record<string, string> = { done: '✓', failed: '✗', skipped: '–', running: '…', cancelled: '■', pending: ' ' };

/** Markdown of `s` for the UI's Current Details (see the module doc). */
export function detailsMarkdown(s: RunStatus): string {
  const lines = [`**${s.workflow}**${s.runbook ? ` · runbook \`${s.runbook}\`` : ''} · ${s.phase}`, ''];
  lines.push(
    s.phase === 'running' ? `Now: **${s.step}**${s.detail ? ` — ${s.detail}` : ''}` : `Ended ${s.phase}${s.detail ? `: ${s.detail}` : ''}`,
  );
  if (s.awaiting) {
    const who = s.awaiting.who.length > 0 ? s.awaiting.who.join(', ') : 'anyone with access to the namespace';
    lines.push('', `**Waiting for ${s.awaiting.what}** by ${who} (times out after ${formatDuration(s.awaiting.timeoutMs)}).`);
    lines.push(
      `Answer with *Send Update* → \`${s.awaiting.updates.join('` or `')}\`, payload \`${JSON.stringify(s.awaiting.example)}\`; or \`gameday approve <workflow id> --by NAME\`.`,
    );
  }
  const child = (s.data as { child?: { workflowId: string; workflow: string; step?: string; phase: string } } | undefined)?.child;
  if (child && s.phase === 'running')
    lines.push('', `Child run \`${child.workflowId}\` (${child.workflow}): ${child.step ? `step **${child.step}**, ` : ''}${child.phase}`);
  const left = (s.data as { rtoBudgetLeftMs?: number } | undefined)?.rtoBudgetLeftMs;
  if (left !== undefined && s.phase === 'running') lines.push('', `RTO budget left: ${formatDuration(left)} (activities' clock)`);
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
