/**
 * `gameday history --service X [--scenario Y] [--limit N] [--json]`: past runs from Temporal
 * visibility (the evidence search attributes), with the trend of measured RTO / RPO against the
 * targets. Targets come from each run's report when it completed, else the tier defaults (marked).
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { Command } from 'commander';
import { z } from 'zod';
import { formatDuration } from '../../lib/report/format';
import { TIER_TARGETS, type Tier } from '../../lib/tiers';
import { validateReport } from '../../lib/report';
import { isScorecard } from '../../lib/report/scorecard';
import type { Scorecard } from '../../lib/scorecard';
import { SEARCH_KEYS } from '../../lib/search-attributes';
import type { CliContext } from '../context';
import { parseOptions } from '../options';

/** Options of `gameday history`, validated before any work. */
export const HistoryOptions = z.strictObject({
  service: z.string().regex(/^[A-Za-z][0-9A-Za-z-]{0,62}$/, 'expected a service name as in the runbook, e.g. payments'),
  scenario: z
    .string()
    .regex(/^[a-z-]+$/, 'expected a scenario such as region-promotion')
    .optional(),
  limit: z.coerce.number().int().positive().max(500).default(20),
});
/** Validated options of `gameday history`. */
export type HistoryOptions = z.infer<typeof HistoryOptions>;

/** One past run, as `history` shows it. */
export interface HistoryRow {
  readonly workflowId: string;
  readonly startedAt: string;
  readonly status: string;
  readonly scenario?: string;
  readonly tier?: string;
  readonly verdict?: string;
  /** Measured values (absent = not measured), seconds. */
  readonly rtoSeconds?: number;
  readonly rpoSeconds?: number;
  readonly rtoTargetSeconds?: number;
  readonly rpoTargetSeconds?: number;
  /** `report` when the targets came from the run's report, `tier` for tier defaults. */
  readonly targetsFrom?: 'report' | 'tier';
  /** A game day: its scenarios' verdicts (its figures are on its child runs). */
  readonly gameDay?: string;
}

/** One line about a game day's scorecard: how many scenarios, and their verdicts. */
export function gameDaySummary(sc: Scorecard): string {
  const count = new Map<string, number>();
  for (const s of sc.scenarios) count.set(s.verdict, (count.get(s.verdict) ?? 0) + 1);
  return `${sc.plan}: ${sc.scenarios.length} scenarios (${[...count].map(([v, n]) => `${n} ${v}`).join(', ')})`;
}

/** The visibility query of `history`. */
export function historyQuery(service: string, scenario?: string): string {
  const q = (v: string): string => `"${v.replace(/["\\]/g, '')}"`;
  return [`GamedayService = ${q(service)}`, ...(scenario ? [`GamedayScenario = ${q(scenario)}`] : [])].join(' AND ');
}

async function rowOf(client: Client, info: WorkflowExecutionInfo): Promise<HistoryRow> {
  const sa = info.typedSearchAttributes;
  const tier = sa.get(SEARCH_KEYS.tier);
  let targets: { rtoMs: number; rpoMs: number } | undefined;
  let targetsFrom: 'report' | 'tier' | undefined;
  let gameDay: string | undefined;
  if (info.status.name === 'COMPLETED') {
    const result: unknown = await client.workflow.getHandle(info.workflowId, info.runId).result();
    if (isScorecard(result)) gameDay = gameDaySummary(result);
    else {
      try {
        targets = validateReport(result).measurement.targets;
        targetsFrom = 'report';
      } catch {
        targets = undefined; // not a report-returning run: fall back to the tier defaults below
      }
    }
  }
  if (!targets && !gameDay && tier && tier in TIER_TARGETS) {
    targets = TIER_TARGETS[tier as Tier];
    targetsFrom = 'tier';
  }
  const rto = sa.get(SEARCH_KEYS.rtoSeconds);
  const rpo = sa.get(SEARCH_KEYS.rpoSeconds);
  const scenario = sa.get(SEARCH_KEYS.scenario);
  const verdict = sa.get(SEARCH_KEYS.verdict);
  return {
    workflowId: info.workflowId,
    startedAt: info.startTime.toISOString(),
    status: info.status.name,
    ...(scenario !== undefined ? { scenario } : {}),
    ...(tier !== undefined ? { tier } : {}),
    ...(verdict !== undefined ? { verdict } : {}),
    ...(rto !== undefined ? { rtoSeconds: rto } : {}),
    ...(rpo !== undefined ? { rpoSeconds: rpo } : {}),
    ...(targets ? { rtoTargetSeconds: targets.rtoMs / 1000, rpoTargetSeconds: targets.rpoMs / 1000, targetsFrom } : {}),
    ...(gameDay ? { gameDay } : {}),
  };
}

/** Lists past runs of a service (oldest first), at most `limit`. */
export async function listHistory(client: Client, opts: { service: string; scenario?: string; limit: number }): Promise<HistoryRow[]> {
  const infos: WorkflowExecutionInfo[] = [];
  for await (const info of client.workflow.list({ query: historyQuery(opts.service, opts.scenario) })) {
    infos.push(info);
    if (infos.length >= opts.limit) break;
  }
  const rows = await Promise.all(infos.map((i) => rowOf(client, i)));
  return rows.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

function fig(value: number | undefined, target: number | undefined): string {
  if (value === undefined) return 'not measured';
  const v = formatDuration(value * 1000);
  if (target === undefined) return v;
  const margin = target - value;
  return `${v} (${margin >= 0 ? '+' : '−'}${formatDuration(Math.abs(margin) * 1000)})`;
}

function trend(name: string, values: number[], target?: number): string {
  if (values.length === 0) return `${name}: never measured`;
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const last = values[values.length - 1]!;
  const first = values[0]!;
  const direction =
    values.length < 2 ? 'a single measured run' : `${last < first ? 'improving' : last > first ? 'worsening' : 'flat'} since the first run`;
  const within =
    target !== undefined
      ? `, ${values.filter((v) => v <= target).length}/${values.length} within target ${formatDuration(target * 1000)}`
      : '';
  return `${name}: last ${formatDuration(last * 1000)}, median ${formatDuration(median * 1000)}, worst ${formatDuration(sorted[sorted.length - 1]! * 1000)}, ${direction}${within}`;
}

/** Renders history rows as a text table followed by the RTO / RPO trend. */
export function renderHistory(rows: readonly HistoryRow[]): string {
  if (rows.length === 0) return 'no runs found\n';
  const header = ['started', 'workflow', 'scenario', 'verdict', 'RTO (margin)', 'RPO (margin)', 'targets'];
  const body = rows.map((r) => [
    r.startedAt.replace('T', ' ').slice(0, 19),
    r.workflowId,
    r.gameDay ? `gameday: ${r.gameDay}` : (r.scenario ?? ''),
    r.verdict ?? r.status.toLowerCase(),
    fig(r.rtoSeconds, r.rtoTargetSeconds),
    fig(r.rpoSeconds, r.rpoTargetSeconds),
    r.rtoTargetSeconds !== undefined
      ? `${formatDuration(r.rtoTargetSeconds * 1000)} / ${formatDuration(r.rpoTargetSeconds! * 1000)}${r.targetsFrom === 'tier' ? ' (tier)' : ''}`
      : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const lastTargets = [...rows].reverse().find((r) => r.rtoTargetSeconds !== undefined);
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    trend(
      'RTO',
      rows.flatMap((r) => (r.rtoSeconds !== undefined ? [r.rtoSeconds] : [])),
      lastTargets?.rtoTargetSeconds,
    ),
    trend(
      'RPO',
      rows.flatMap((r) => (r.rpoSeconds !== undefined ? [r.rpoSeconds] : [])),
      lastTargets?.rpoTargetSeconds,
    ),
    '',
  ].join('\n');
}

/** Registers `history` on the program. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .description(
      'list past runs of a service, game days included, with the trend of measured RTO/RPO against the targets (--json for rows)',
    )
    .requiredOption('--service <name>', 'service, as in the runbook')
    .option('--scenario <scenario>', 'only this scenario, e.g. region-promotion')
    .option('--limit <n>', 'at most N runs', '20')
    .action(async (raw: Record<string, unknown>, cmd: Command) => {
      const opts = parseOptions(HistoryOptions, raw);
      const client = await ctx.client(cmd);
      const rows = await listHistory(client, opts);
      ctx.output(cmd).result(renderHistory(rows).trimEnd(), rows);
    });
}
