/**
 * RunReport → one self-contained HTML page (inline CSS and inline SVG, no external asset, no
 * script), readable offline: verdict, figures with margin, "not measured: reason" as such, the
 * measurement's resolution, a chart of the phases against the RTO budget, the RPO against its
 * target (with the prediction), the timeline and the notes.
 */
import type { Figure, Measurement, RunReport } from '../measurement-types';
import { clockLines, componentFigureName, formatDuration, formatTime, resolutionText, timesLabel, windowText } from './format';

/** Escapes text for HTML element and attribute content. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d2330;background:#fff;max-width:1000px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde2ea;padding-bottom:4px}
.meta{color:#5b6477;font-size:13px}
.verdict{display:inline-block;padding:4px 12px;border-radius:4px;font-weight:700;color:#fff;margin:10px 0}
.v-pass{background:#1f8a4c}.v-fail{background:#c62f2f}.v-not-measured{background:#7a8294}
table{border-collapse:collapse;width:100%;font-size:14px} th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e7eaf0} th{background:#f4f6f9}
td.num{font-variant-numeric:tabular-nums}
.pill{font-weight:700;font-size:12px;padding:2px 8px;border-radius:10px;color:#fff}
.nm{color:#5b6477;font-style:italic}
.resolution{background:#f4f6f9;border-left:4px solid #7a8294;padding:8px 12px;font-size:13px;margin:12px 0}
svg text{font-family:system-ui,sans-serif;font-size:12px;fill:#1d2330}
ul.timeline{font-size:13px;padding-left:18px} ul.timeline code{color:#5b6477}
`;

function verdictPill(v: 'pass' | 'fail' | 'not-measured'): string {
  return `<span class="pill v-${v}">${v === 'not-measured' ? 'NOT MEASURED' : v.toUpperCase()}</span>`;
}

function figureRow(name: string, f: Figure): string {
  if (f.status === 'not-measured') {
    return `<tr class="figure" data-figure="${escapeHtml(name)}" data-status="not-measured"><td>${escapeHtml(name)}</td><td class="nm">not measured: ${escapeHtml(f.reason)}</td><td class="num">${formatDuration(f.targetMs)}</td><td></td><td>${verdictPill('not-measured')}</td></tr>`;
  }
  const margin = f.marginMs >= 0 ? `+${formatDuration(f.marginMs)}` : formatDuration(f.marginMs);
  return `<tr class="figure" data-figure="${escapeHtml(name)}" data-status="measured"><td>${escapeHtml(name)}</td><td class="num">${formatDuration(f.valueMs)}${escapeHtml(windowText(f))}</td><td class="num">${formatDuration(f.targetMs)}</td><td class="num">${margin}</td><td>${verdictPill(f.verdict)}</td></tr>`;
}

const PHASE_COLORS: Record<string, string> = {
  detect: '#e39b27',
  decide: '#8a5cc7',
  promote: '#2f6fd0',
  traffic: '#1d9aa8',
  app: '#3f9d4a',
  restore: '#2f6fd0',
  verify: '#3f9d4a',
};

/** The SVG chart of the phases against the RTO budget. */
export function timelineSvg(report: RunReport): string {
  const m = report.measurement;
  const fault = report.timeline.filter((e) => e.name === 'fault-injected').sort((a, b) => a.at - b.at)[0];
  const starts = m.phases.map((p) => p.startAt);
  const t0 = fault?.at ?? (starts.length > 0 ? Math.min(...starts) : undefined);
  if (t0 === undefined) return '<p class="nm">No phase or fault event to chart.</p>';
  const rtoMs = m.rto.status === 'measured' ? m.rto.valueMs : 0;
  const actualEnd = Math.max(rtoMs, ...m.phases.map((p) => Math.max(p.endAt, p.startAt) - t0), 1);
  const budget = m.targets.rtoMs;
  const budgetOnScale = budget <= actualEnd * 3;
  const span = Math.max(actualEnd, budgetOnScale ? budget : 0) * 1.08;
  const left = 130;
  const width = 900;
  const plot = width - left - 30;
  const rowH = 28;
  const rows = [
    ...m.phases.map((p) => ({
      label: p.phase,
      start: p.startAt - t0,
      dur: p.durationMs,
      cls: 'phase-bar',
      color: PHASE_COLORS[p.phase] ?? '#607089',
      clamped: p.clampedFromMs !== undefined,
    })),
  ];
  if (m.rto.status === 'measured')
    rows.push({
      label: 'RTO (total)',
      start: 0,
      dur: m.rto.valueMs,
      cls: 'rto-bar',
      color: m.rto.verdict === 'pass' ? '#1f8a4c' : '#c62f2f',
      clamped: false,
    });
  const top = 24;
  const height = top + rows.length * rowH + 40;
  const x = (ms: number): number => left + (Math.max(0, ms) / span) * plot;
  const parts: string[] = [];
  parts.push(
    `<svg class="timeline-chart" role="img" aria-label="phases against the RTO budget" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
  );
  for (let i = 0; i <= 5; i++) {
    const ms = (span * i) / 5;
    const xx = x(ms).toFixed(1);
    parts.push(`<line x1="${xx}" y1="${top - 6}" x2="${xx}" y2="${height - 30}" stroke="#e7eaf0"/>`);
    parts.push(
      `<text x="${xx}" y="${height - 14}" text-anchor="${i === 5 ? 'end' : i === 0 ? 'start' : 'middle'}">${formatDuration(ms)}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const w = Math.max(2, (r.dur / span) * plot);
    parts.push(`<text x="${left - 8}" y="${y + 17}" text-anchor="end">${escapeHtml(r.label)}</text>`);
    parts.push(
      `<rect class="${r.cls}" data-phase="${escapeHtml(r.label)}" x="${x(r.start).toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" rx="3" fill="${r.color}"><title>${escapeHtml(r.label)}: ${formatDuration(r.dur)}</title></rect>`,
    );
    parts.push(
      `<text x="${(x(r.start) + w + 6).toFixed(1)}" y="${y + 17}">${formatDuration(r.dur)}${r.clamped ? ' (clamped: clock skew)' : ''}</text>`,
    );
  });
  if (budgetOnScale) {
    const bx = x(budget).toFixed(1);
    parts.push(
      `<line class="budget-line" x1="${bx}" y1="${top - 10}" x2="${bx}" y2="${height - 30}" stroke="#c62f2f" stroke-width="2" stroke-dasharray="6 4"/>`,
    );
    parts.push(`<text x="${bx}" y="${top - 12}" text-anchor="middle" style="fill:#c62f2f">RTO budget ${formatDuration(budget)}</text>`);
  } else {
    parts.push(
      `<text class="budget-line" x="${width - 30}" y="${top - 10}" text-anchor="end" style="fill:#c62f2f">RTO budget ${formatDuration(budget)} → (off scale)</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

/** The SVG bar of the RPO against its target (and the prediction), or the not-measured reason. */
export function rpoSvg(m: Measurement): string {
  if (m.rpo.status === 'not-measured') return `<p class="nm rpo-not-measured">RPO not measured: ${escapeHtml(m.rpo.reason)}</p>`;
  const value = m.rpo.valueMs;
  const target = m.rpo.targetMs;
  const predicted = m.predictedRpoMs;
  const span = Math.max(value, target, predicted ?? 0, 1000) * 1.2;
  const left = 130;
  const width = 900;
  const plot = width - left - 30;
  const x = (ms: number): number => left + (ms / span) * plot;
  const color = m.rpo.verdict === 'pass' ? '#1f8a4c' : '#c62f2f';
  const parts = [
    `<svg class="rpo-chart" role="img" aria-label="RPO against its target" xmlns="http://www.w3.org/2000/svg" width="${width}" height="92" viewBox="0 0 ${width} 92">`,
  ];
  parts.push(`<text x="${left - 8}" y="41" text-anchor="end">RPO (measured)</text>`);
  parts.push(
    `<rect class="rpo-bar" x="${left}" y="26" width="${Math.max(2, x(value) - left).toFixed(1)}" height="20" rx="3" fill="${color}"><title>RPO ${formatDuration(value)}</title></rect>`,
  );
  parts.push(
    `<text x="${(x(value) + 6).toFixed(1)}" y="41">${formatDuration(value)}${m.lostWrites !== undefined ? ` · ${m.lostWrites} lost writes` : ''}</text>`,
  );
  const tx = x(target).toFixed(1);
  parts.push(`<line class="rpo-target" x1="${tx}" y1="14" x2="${tx}" y2="60" stroke="#c62f2f" stroke-width="2" stroke-dasharray="6 4"/>`);
  parts.push(`<text x="${tx}" y="76" text-anchor="middle" style="fill:#c62f2f">RPO target ${formatDuration(target)}</text>`);
  if (predicted !== undefined) {
    const px = x(predicted);
    parts.push(
      `<path class="rpo-predicted" d="M${px.toFixed(1)} 8 l6 6 l-6 6 l-6 -6 z" fill="#2f6fd0"><title>predicted ${formatDuration(predicted)}</title></path>`,
    );
    parts.push(`<text x="${(px + 10).toFixed(1)}" y="19" style="fill:#2f6fd0">predicted ${formatDuration(predicted)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Renders the report as a self-contained HTML page. */
export function renderHtml(report: RunReport): string {
  const m = report.measurement;
  const title = `Game day ${report.service} (${report.environment}) — ${report.scenario}`;
  const notes = [...(m.notes ?? []), ...report.notes];
  const figures = [
    figureRow('RTO', m.rto),
    figureRow('RPO', m.rpo),
    ...m.components.map((c) => figureRow(componentFigureName(c), c.rto)),
  ].join('');
  const phases =
    m.phases.length === 0
      ? '<p class="nm">No phase could be measured from the timeline.</p>'
      : `<table class="phases"><tr><th>phase</th><th>start</th><th>end</th><th>duration</th></tr>${m.phases
          .map(
            (p) =>
              `<tr data-phase="${escapeHtml(p.phase)}"><td>${escapeHtml(p.phase)}</td><td>${formatTime(p.startAt)}</td><td>${formatTime(p.endAt)}</td><td class="num">${formatDuration(p.durationMs)}${p.clampedFromMs !== undefined ? ' (clamped: clock skew)' : ''}</td></tr>`,
          )
          .join('')}</table>`;
  const timeline = [...report.timeline]
    .sort((a, b) => a.at - b.at)
    .map(
      (e) =>
        `<li><code>${formatTime(e.at)}</code> <strong>${escapeHtml(e.name)}</strong>${e.component ? ` [${escapeHtml(e.component)}]` : ''} — ${escapeHtml(e.source)}${e.detail ? `: ${escapeHtml(e.detail)}` : ''}</li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<div class="meta">${escapeHtml(report.tier)} · AWS ${escapeHtml(report.awsMode)} · workflow <code>${escapeHtml(report.workflowId)}</code> · run <code>${escapeHtml(report.runId)}</code> · outcome ${escapeHtml(report.outcome)}${report.outcomeReason ? ` (${escapeHtml(report.outcomeReason)})` : ''}</div>
${report.clock ? `<p class="clock">${escapeHtml(clockLines(report).join(' ').replace(/\*\*/g, ''))}</p>` : ''}
${(m.gaps ?? []).length + (m.humanWaits ?? []).length > 0 ? `<ul class="gaps">${(m.gaps ?? []).map((g) => `<li>gap ${escapeHtml(g.between)}: ${formatDuration(g.durationMs)}</li>`).join('')}${(m.humanWaits ?? []).map((h) => `<li>waiting for ${escapeHtml(h.what)}: ${formatDuration(h.wallMs)} wall time, counted at 1×</li>`).join('')}</ul>` : ''}
<div class="verdict v-${m.verdict}" id="verdict">Verdict: ${m.verdict === 'not-measured' ? 'NOT MEASURED' : m.verdict.toUpperCase()}</div>
<h2>Figures</h2>
<table class="figures"><tr><th>figure</th><th>measured</th><th>target</th><th>margin</th><th>verdict</th></tr>${figures}</table>
<p>${m.lostWrites !== undefined ? `Lost canary writes (acked before the promotion began): <strong>${m.lostWrites}</strong>. ` : ''}${m.splitBrain ? `<span id="split-brain">Split-brain writes (acked by the old primary after the promotion began, not on the new writer; not RPO): <strong>${m.splitBrain.writes}</strong>, ${formatTime(m.splitBrain.firstAt)} – ${formatTime(m.splitBrain.lastAt)}.</span> ` : ''}${m.inFlightAtPromotion ? `Writes sent while the promote call was in flight, not on the new writer (lost or split brain; AWS records no instant for this cut): <strong>${m.inFlightAtPromotion.writes}</strong>. ` : ''}Predicted RPO (replication lag before the fault): ${m.predictedRpoMs !== undefined ? formatDuration(m.predictedRpoMs) : '<span class="nm">not read</span>'}.</p>
<div class="resolution" id="resolution">Resolution: ${escapeHtml(resolutionText(m.resolution))}</div>
<h2>Recovery timeline against the RTO budget</h2>
${timelineSvg(report)}
<h2>Data loss against the RPO target</h2>
${rpoSvg(m)}
<h2>Phases${escapeHtml(timesLabel(report))}</h2>
${phases}
<h2>Timeline${escapeHtml(timesLabel(report))}</h2>
<ul class="timeline">${timeline}</ul>
${notes.length > 0 ? `<h2>Notes</h2><ul class="notes">${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
