/**
 * `gameday evidence [--runbook NAME…] [--json]`: "when did we last prove this?" For every runbook
 * (or those named) and every scenario its tier's policy requires (`EVIDENCE_POLICY`,
 * `lib/tiers.ts`), the age of the last run that measured an RTO or RPO, read from Temporal
 * visibility over the Gameday search attributes (`GamedayService`, `GamedayScenario`,
 * `GamedayRtoSeconds` / `GamedayRpoSeconds`), against the policy. Exit 1 when any evidence is
 * stale or missing. Runbooks are read from the local runbook folder; nothing calls AWS.
 */
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { judgeEvidence, requiredEvidence, type EvidenceRow, type LastMeasured } from '../../lib/evidence-freshness';
import { formatDuration } from '../../lib/report/format';
import { SEARCH_ATTRIBUTES, SEARCH_KEYS } from '../../lib/search-attributes';
import { SCENARIOS_NOT_YET_BUILT } from '../../runbooks/gameday-load';
import { DEFAULT_RUNBOOK_DIR, listRunbookFiles, loadRunbookByName, RunbookValidationError, runbookName } from '../../runbooks/load';
import type { Runbook } from '../../runbooks/schema';
import type { CliContext } from '../context';
import { EXIT, table, UsageError } from '../output';

/** The visibility query of the runs that measured `scenario` for `service`. */
export function evidenceQuery(service: string, scenario: string): string {
  const q = (v: string): string => `"${v.replace(/["\\]/g, '')}"`;
  const a = SEARCH_ATTRIBUTES;
  return `${a.service.name} = ${q(service)} AND ${a.scenario.name} = ${q(scenario)} AND (${a.rtoSeconds.name} IS NOT NULL OR ${a.rpoSeconds.name} IS NOT NULL)`;
}

/** The newest closed run that measured `scenario` for `service` (among the latest `scan`). */
export async function lastMeasured(client: Client, service: string, scenario: string, scan = 50): Promise<LastMeasured | undefined> {
  let best: LastMeasured | undefined;
  let n = 0;
  for await (const info of client.workflow.list({ query: evidenceQuery(service, scenario), pageSize: scan })) {
    if (++n > scan) break;
    const closedAt = info.closeTime?.getTime();
    if (closedAt === undefined || (best && best.closedAt >= closedAt)) continue;
    const sa = info.typedSearchAttributes;
    const rto = sa.get(SEARCH_KEYS.rtoSeconds);
    const rpo = sa.get(SEARCH_KEYS.rpoSeconds);
    const verdict = sa.get(SEARCH_KEYS.verdict);
    best = {
      workflowId: info.workflowId,
      runId: info.runId,
      closedAt,
      ...(verdict !== undefined ? { verdict } : {}),
      ...(rto !== undefined ? { rtoSeconds: rto } : {}),
      ...(rpo !== undefined ? { rpoSeconds: rpo } : {}),
    };
  }
  return best;
}

/** The evidence rows of runbooks at wall time `now`. */
export async function evidenceRows(
  client: Client,
  runbooks: readonly { name: string; runbook: Runbook }[],
  now: number,
): Promise<EvidenceRow[]> {
  const rows: EvidenceRow[] = [];
  for (const { name, runbook } of runbooks) {
    for (const req of requiredEvidence(runbook, SCENARIOS_NOT_YET_BUILT)) {
      rows.push(judgeEvidence(name, runbook, req, await lastMeasured(client, runbook.service, req.scenario), now));
    }
  }
  return rows;
}

/** Renders evidence rows as a table. */
export function renderEvidence(rows: readonly EvidenceRow[]): string {
  if (rows.length === 0) return 'no runbook requires evidence';
  const fig = (s: number | undefined): string => (s === undefined ? '-' : formatDuration(s * 1000));
  return table(
    ['runbook', 'tier', 'scenario', 'policy', 'last measured (UTC)', 'age', 'RTO', 'RPO', 'run', 'status'],
    rows.map((r) => [
      r.runbook,
      r.tier,
      r.scenario,
      `every ${formatDuration(r.maxAgeMs)}`,
      r.last ? new Date(r.last.closedAt).toISOString().slice(0, 19) : 'never',
      r.ageMs !== undefined ? formatDuration(r.ageMs) : '-',
      fig(r.last?.rtoSeconds),
      fig(r.last?.rpoSeconds),
      r.last?.workflowId ?? '-',
      r.status.toUpperCase(),
    ]),
  );
}

/** Registers `evidence`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('evidence')
    .description("age of each runbook's last measured RTO/RPO per scenario against its tier's policy (exit 1 when stale)")
    .option('--runbook <names...>', 'only these runbooks (default: every runbook in the runbook folder)')
    .action(async (opts: { runbook?: string[] }, cmd: Command) => {
      const dir = process.env.GAMEDAY_RUNBOOK_DIR ?? DEFAULT_RUNBOOK_DIR;
      const names = opts.runbook ?? listRunbookFiles(dir).map(runbookName);
      let runbooks: { name: string; runbook: Runbook }[];
      try {
        runbooks = names.map((name) => ({ name, runbook: loadRunbookByName(name, dir) }));
      } catch (err) {
        if (err instanceof RunbookValidationError) throw new UsageError(`--runbook: ${err.message}`);
        throw err;
      }
      const rows = await evidenceRows(await ctx.client(cmd), runbooks, Date.now());
      ctx.output(cmd).result(renderEvidence(rows), { rows });
      if (rows.some((r) => r.status !== 'fresh')) process.exitCode = EXIT.runFailed;
    });
}
