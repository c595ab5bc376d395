/** RunReport → Markdown (for tickets, PRs and chat). */
import type { Figure, RunReport } from '../measurement-types';
import { clockLines, componentFigureName, figureText, formatDuration, formatTime, resolutionText, timesLabel, windowText } from './format';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function figureRow(name: string, f: Figure): string {
  if (f.status === 'not-measured') return `| ${name} | not measured: ${cell(f.reason)} | ${formatDuration(f.targetMs)} | | NOT MEASURED |`;
  const margin = f.marginMs >= 0 ? `+${formatDuration(f.marginMs)}` : formatDuration(f.marginMs);
  return `| ${name} | ${formatDuration(f.valueMs)}${cell(windowText(f))} | ${formatDuration(f.targetMs)} | ${margin} | ${f.verdict.toUpperCase()} |`;
}

/** The scenario's scalar details (AZ, template, experiment id, regions, …) as one line; lists and objects stay in the JSON. */
function detailsLine(details: RunReport['details']): string | undefined {
  const parts = Object.entries(details)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(([k, v]) => `${k} \`${cell(String(v))}\``);
  return parts.length > 0 ? `Details: ${parts.join(' · ')}` : undefined;
}

/** Renders the report as Markdown. */
export function renderMarkdown(report: RunReport): string {
  const m = report.measurement;
  const out: string[] = [];
  out.push(`# Game day: ${report.service} (${report.environment}) — ${report.scenario}`);
  out.push('');
  out.push(
    `**Verdict: ${m.verdict.toUpperCase()}** · outcome ${report.outcome}${report.outcomeReason ? ` (${report.outcomeReason})` : ''} · ${report.tier} · AWS ${report.awsMode}`,
  );
  out.push('');
  out.push(`Workflow \`${report.workflowId}\` run \`${report.runId}\``);
  out.push('');
  const details = detailsLine(report.details);
  if (details) out.push(details, '');
  for (const line of clockLines(report)) out.push(line);
  out.push('## Figures');
  out.push('');
  out.push('| figure | measured | target | margin | verdict |');
  out.push('|---|---|---|---|---|');
  out.push(figureRow('RTO', m.rto));
  out.push(figureRow('RPO', m.rpo));
  for (const c of m.components) out.push(figureRow(componentFigureName(c), c.rto));
  out.push('');
  if (m.lostWrites !== undefined) out.push(`Lost canary writes (acked before the promotion began): ${m.lostWrites}`);
  if (m.splitBrain) {
    out.push(
      `Split-brain writes (acked by the old primary after the promotion began, not on the new writer; not RPO): ${m.splitBrain.writes}, from ${formatTime(m.splitBrain.firstAt)} to ${formatTime(m.splitBrain.lastAt)}`,
    );
  }
  if (m.inFlightAtPromotion) {
    out.push(
      `Writes sent while the promote call was in flight, not on the new writer (lost or split brain; AWS records no instant for this cut): ${m.inFlightAtPromotion.writes}`,
    );
  }
  out.push(
    `Predicted RPO (replication lag before the fault): ${m.predictedRpoMs !== undefined ? formatDuration(m.predictedRpoMs) : 'not read'}`,
  );
  out.push('');
  out.push(`Resolution: ${resolutionText(m.resolution)}`);
  out.push('');
  out.push(`## Phases${timesLabel(report)}`);
  out.push('');
  if (m.phases.length === 0) out.push('No phase could be measured from the timeline.');
  else {
    out.push('| phase | start | end | duration |');
    out.push('|---|---|---|---|');
    for (const p of m.phases) {
      out.push(
        `| ${p.phase} | ${formatTime(p.startAt)} | ${formatTime(p.endAt)} | ${formatDuration(p.durationMs)}${p.clampedFromMs !== undefined ? ' (clamped: clock skew)' : ''} |`,
      );
    }
  }
  out.push('');
  for (const g of m.gaps ?? []) out.push(`- gap ${g.between}: ${formatDuration(g.durationMs)} (inside the RTO, between phases)`);
  for (const h of m.humanWaits ?? [])
    out.push(
      `- waiting for ${h.what}: ${formatDuration(h.wallMs)} wall time, counted at 1× (the simulated clock read ${formatDuration(h.clockMs)})`,
    );
  out.push('');
  out.push(`## Timeline${timesLabel(report)}`);
  out.push('');
  for (const e of [...report.timeline].sort((a, b) => a.at - b.at)) {
    out.push(
      `- ${formatTime(e.at)} **${e.name}**${e.component ? ` [${e.component}]` : ''} — ${cell(e.source)}${e.detail ? `: ${cell(e.detail)}` : ''}`,
    );
  }
  const notes = [...(m.notes ?? []), ...report.notes];
  if (notes.length > 0) {
    out.push('');
    out.push('## Notes');
    out.push('');
    for (const n of notes) out.push(`- ${n}`);
  }
  out.push('');
  out.push(`<!-- RTO: ${figureText(m.rto)} | RPO: ${figureText(m.rpo)} -->`);
  return `${out.join('\n')}\n`;
}
