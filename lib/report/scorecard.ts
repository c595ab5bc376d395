/**
 * Game-day scorecard → JSON, Markdown or one self-contained HTML page, like the playbook reports:
 * the day's verdict, per scenario the hypothesis against the measured figures (each child run
 * linked: to the Temporal Web UI when its URL is given, and always as the `gameday report`
 * command), per service RTO / RPO against the tier targets, the human timings (wall clock) and
 * the findings. Pure.
 */
import type { HumanScore, Scorecard, ScenarioScore } from '../scorecard';
import type { Figure } from '../measurement-types';
import { awsCallsText, formatDuration, formatTime, windowText } from './format';
import { escapeHtml } from './html';

/** Where child runs are linked. */
export interface ScorecardLinks {
  /** Temporal Web UI base URL, e.g. `http://localhost:8233`. */
  readonly uiUrl?: string;
  /** @default default */
  readonly namespace?: string;
}

/** True when `value` is a game-day scorecard (not a playbook `RunReport`). */
export function isScorecard(value: unknown): value is Scorecard {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'gameday-scorecard';
}

/** The Web UI link of a child run, when the UI URL is known. */
export function childRunUrl(s: Pick<ScenarioScore, 'workflowId' | 'runId'>, links: ScorecardLinks = {}): string | undefined {
  if (!links.uiUrl || !s.workflowId) return undefined;
  const ns = encodeURIComponent(links.namespace ?? 'default');
  return `${links.uiUrl.replace(/\/$/, '')}/namespaces/${ns}/workflows/${encodeURIComponent(s.workflowId)}${s.runId ? `/${s.runId}` : ''}/history`;
}

function reportCommand(s: ScenarioScore): string | undefined {
  return s.workflowId ? `gameday report ${s.workflowId}${s.runId ? ` --run-id ${s.runId}` : ''}` : undefined;
}

function fig(f: Figure | undefined): string {
  if (!f) return 'not measured: no report';
  return f.status === 'measured' ? `${formatDuration(f.valueMs)}${windowText(f)}` : `not measured: ${f.reason}`;
}

function checksText(s: ScenarioScore): string {
  if (s.checks.length === 0) return 'no figure stated';
  return s.checks.map((c) => `${c.figure} ${c.expected} → ${c.measured} (${c.result})`).join('; ');
}

function timingText(h: HumanScore): string {
  if (h.timingMs === undefined) return h.measures ? 'not measured: not answered' : '';
  return `${h.measures}: ${formatDuration(h.timingMs)} (${h.timingBasis})`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The scorecard as pretty JSON. */
export function renderScorecardJson(sc: Scorecard): string {
  return `${JSON.stringify(sc, null, 2)}\n`;
}

/** The scorecard as Markdown (tickets, chat, the CLI). */
export function renderScorecardMarkdown(sc: Scorecard, links: ScorecardLinks = {}): string {
  const out: string[] = [`# Game day: ${sc.title} (plan ${sc.plan})`, ''];
  out.push(
    `**Verdict: ${sc.verdict.toUpperCase()}** · outcome ${sc.outcome}${sc.outcomeReason ? ` (${sc.outcomeReason})` : ''} · AWS ${sc.awsMode}`,
    '',
  );
  out.push(`Workflow \`${sc.workflowId}\` run \`${sc.runId}\``, '');
  if (sc.resolution) out.push(`Resolution: ${awsCallsText(sc.resolution)} (the child runs and the day's own steps).`, '');
  if (sc.startedAtWall !== undefined)
    out.push(
      `Started ${formatTime(sc.startedAtWall)}${sc.endedAtWall !== undefined ? `, ended ${formatTime(sc.endedAtWall)}` : ''} (wall clock).`,
      '',
    );
  out.push(
    `${sc.clock.kind === 'simulated' ? `**Simulated times (${sc.clock.scale}×).** ` : ''}${sc.clock.note}. Human timings are wall-clock.`,
    '',
  );
  out.push(
    '## Scenarios',
    '',
    '| scenario | run | outcome | hypothesis | RTO | RPO | checks | verdict |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const s of sc.scenarios) {
    const url = childRunUrl(s, links);
    const run = s.workflowId ? (url ? `[${s.workflowId}](${url})` : `\`${s.workflowId}\``) : '';
    out.push(
      `| ${s.id} (${s.kind}, ${s.runbook}) | ${run} | ${s.outcome}${s.reason ? `: ${cell(s.reason)}` : ''} | ${cell(s.hypothesis.text)} | ${cell(fig(s.rto))} | ${cell(fig(s.rpo))} | ${cell(checksText(s))} | ${s.verdict.toUpperCase()} |`,
    );
  }
  const cmds = sc.scenarios.map(reportCommand).filter((c): c is string => c !== undefined);
  if (cmds.length > 0) out.push('', 'Child reports:', ...cmds.map((c) => `- \`${c}\``));
  out.push(
    '',
    '## Services (worst measured figure of the day vs the tier target)',
    '',
    '| service | runbook | tier | RTO | RPO | verdict |',
    '|---|---|---|---|---|---|',
  );
  for (const v of sc.services) {
    const rto = v.rto
      ? `${formatDuration(v.rto.valueMs)} (${v.rto.scenario}) / ${formatDuration(v.targets.rtoMs)}`
      : `not measured / ${formatDuration(v.targets.rtoMs)}`;
    const rpo = v.rpo
      ? `${formatDuration(v.rpo.valueMs)} (${v.rpo.scenario}) / ${formatDuration(v.targets.rpoMs)}`
      : `not measured / ${formatDuration(v.targets.rpoMs)}`;
    out.push(`| ${v.service} | ${v.runbook} | ${v.tier} | ${rto} | ${rpo} | ${v.verdict.toUpperCase()} |`);
  }
  out.push('', '## People (wall clock)', '');
  if (sc.human.length === 0) out.push('No human checkpoint in the plan.');
  else {
    out.push('| checkpoint | after | state | by | answer | waited | timing |', '|---|---|---|---|---|---|---|');
    for (const h of sc.human) {
      const answer = h.ok === undefined ? '' : h.ok ? 'yes' : 'no';
      out.push(
        `| ${h.checkpoint}: ${cell(h.prompt)} | ${h.after} | ${h.state} | ${h.by ?? ''} | ${answer}${h.note ? ` (${cell(h.note)})` : ''} | ${h.answerWaitMs !== undefined ? formatDuration(h.answerWaitMs) : ''} | ${cell(timingText(h))} |`,
      );
    }
  }
  out.push('', '## Findings', '');
  if (sc.findings.length === 0) out.push('None.');
  for (const f of sc.findings) out.push(`- **${f.severity}** ${f.about}: ${f.text}`);
  if (sc.participants.length > 0) out.push('', `Participants: ${sc.participants.map((p) => `${p.name} (${p.role})`).join(', ')}`);
  return `${out.join('\n')}\n`;
}

const CSS = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d2330;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;border-bottom:1px solid #dde2ea;padding-bottom:4px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e7eaf0;vertical-align:top}th{background:#f4f6f9}
.pill{font-weight:700;font-size:12px;padding:2px 8px;border-radius:10px;color:#fff}.v-pass{background:#1f8a4c}.v-fail{background:#c62f2f}.v-not-measured,.v-not-run{background:#7a8294}
.meta{color:#5b6477;font-size:13px}.nm{color:#5b6477;font-style:italic}`;

function pill(v: string): string {
  return `<span class="pill v-${escapeHtml(v)}">${escapeHtml(v.toUpperCase())}</span>`;
}

function scenarioRow(s: ScenarioScore, links: ScorecardLinks): string {
  const url = childRunUrl(s, links);
  const id = s.workflowId
    ? url
      ? `<a href="${escapeHtml(url)}">${escapeHtml(s.workflowId)}</a>`
      : `<code>${escapeHtml(s.workflowId)}</code>`
    : '';
  const cmd = reportCommand(s);
  return `<tr data-scenario="${escapeHtml(s.id)}"><td>${escapeHtml(s.id)}<div class="meta">${escapeHtml(s.kind)} · ${escapeHtml(s.runbook)}</div></td><td>${id}${cmd ? `<div class="meta"><code>${escapeHtml(cmd)}</code></div>` : ''}</td><td>${escapeHtml(s.outcome)}${s.reason ? `<div class="meta">${escapeHtml(s.reason)}</div>` : ''}</td><td>${escapeHtml(s.hypothesis.text)}</td><td>${escapeHtml(fig(s.rto))}</td><td>${escapeHtml(fig(s.rpo))}</td><td>${escapeHtml(checksText(s))}</td><td>${pill(s.verdict)}</td></tr>`;
}

/** The scorecard as one self-contained HTML page (inline CSS, no script, no external asset). */
export function renderScorecardHtml(sc: Scorecard, links: ScorecardLinks = {}): string {
  const human = sc.human
    .map(
      (h) =>
        `<tr><td>${escapeHtml(h.checkpoint)}<div class="meta">${escapeHtml(h.prompt)}</div></td><td>${escapeHtml(h.after)}</td><td>${escapeHtml(h.state)}</td><td>${escapeHtml(h.by ?? '')}</td><td>${h.ok === undefined ? '' : h.ok ? 'yes' : 'no'}${h.note ? ` <span class="meta">${escapeHtml(h.note)}</span>` : ''}</td><td>${h.answerWaitMs !== undefined ? formatDuration(h.answerWaitMs) : ''}</td><td>${escapeHtml(timingText(h))}</td></tr>`,
    )
    .join('');
  const services = sc.services
    .map(
      (v) =>
        `<tr><td>${escapeHtml(v.service)}</td><td>${escapeHtml(v.runbook)}</td><td>${v.tier}</td><td>${v.rto ? `${formatDuration(v.rto.valueMs)} (${escapeHtml(v.rto.scenario)})` : '<span class="nm">not measured</span>'} / ${formatDuration(v.targets.rtoMs)}</td><td>${v.rpo ? `${formatDuration(v.rpo.valueMs)} (${escapeHtml(v.rpo.scenario)})` : '<span class="nm">not measured</span>'} / ${formatDuration(v.targets.rpoMs)}</td><td>${pill(v.verdict)}</td></tr>`,
    )
    .join('');
  const findings =
    sc.findings.length === 0
      ? '<p>None.</p>'
      : `<ul>${sc.findings.map((f) => `<li><b>${f.severity}</b> ${escapeHtml(f.about)}: ${escapeHtml(f.text)}</li>`).join('')}</ul>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Game day ${escapeHtml(sc.title)}</title><style>${CSS}</style></head><body>
<h1>Game day: ${escapeHtml(sc.title)}</h1>
<p class="meta">plan ${escapeHtml(sc.plan)} · workflow <code>${escapeHtml(sc.workflowId)}</code> run <code>${escapeHtml(sc.runId)}</code> · outcome ${escapeHtml(sc.outcome)}${sc.outcomeReason ? ` (${escapeHtml(sc.outcomeReason)})` : ''}</p>
<p>${pill(sc.verdict)}</p>
<p class="meta">${escapeHtml(sc.clock.note)}. Human timings are wall-clock.</p>${sc.resolution ? `<p class="meta" id="resolution">Resolution: ${escapeHtml(awsCallsText(sc.resolution))} (the child runs and the day's own steps).</p>` : ''}
<h2>Scenarios</h2><table><tr><th>scenario</th><th>run</th><th>outcome</th><th>hypothesis</th><th>RTO</th><th>RPO</th><th>checks</th><th>verdict</th></tr>${sc.scenarios.map((s) => scenarioRow(s, links)).join('')}</table>
<h2>Services</h2><table><tr><th>service</th><th>runbook</th><th>tier</th><th>RTO / target</th><th>RPO / target</th><th>verdict</th></tr>${services}</table>
<h2>People (wall clock)</h2>${sc.human.length === 0 ? '<p>No human checkpoint in the plan.</p>' : `<table><tr><th>checkpoint</th><th>after</th><th>state</th><th>by</th><th>answer</th><th>waited</th><th>timing</th></tr>${human}</table>`}
<h2>Findings</h2>${findings}
</body></html>
`;
}

/** Renders a scorecard in `format`. */
export function renderScorecard(sc: Scorecard, format: 'json' | 'md' | 'html', links: ScorecardLinks = {}): string {
  if (format === 'json') return renderScorecardJson(sc);
  return format === 'md' ? renderScorecardMarkdown(sc, links) : renderScorecardHtml(sc, links);
}
