/**
 * `gameday runs`: the evidence ledger. Lists runs from Temporal visibility filtered by the gameday
 * search attributes, newest first.
 */
import type { Command } from 'commander';
import { SEARCH_ATTRIBUTES } from '../../lib/search-attributes';
import type { CliContext } from '../context';
import { table, UsageError } from '../output';

interface RunsOptions {
  readonly service?: string;
  readonly scenario?: string;
  readonly verdict?: string;
  readonly tier?: string;
  readonly limit: string;
}

const SAFE = /^[A-Za-z0-9._-]{1,128}$/;
const TIERS = ['tier0', 'tier1', 'tier2'] as const;

/** The visibility query for the filters; every value is checked so it cannot break the query. */
export function buildRunsQuery(opts: Omit<RunsOptions, 'limit'>): string {
  const parts: string[] = [];
  const add = (flag: string, attr: string, v: string | undefined): void => {
    if (v === undefined) return;
    if (!SAFE.test(v)) throw new UsageError(`--${flag}: expected letters, digits, '.', '_' or '-', got "${v}"`);
    parts.push(`${attr} = "${v}"`);
  };
  add('service', SEARCH_ATTRIBUTES.service.name, opts.service);
  add('scenario', SEARCH_ATTRIBUTES.scenario.name, opts.scenario);
  const oneOf = (flag: string, v: string | undefined, allowed: readonly string[]): void => {
    if (v !== undefined && !allowed.includes(v)) throw new UsageError(`--${flag}: expected one of ${allowed.join(', ')}, got "${v}"`);
  };
  oneOf('tier', opts.tier, TIERS);
  add('tier', SEARCH_ATTRIBUTES.tier.name, opts.tier);
  add('verdict', SEARCH_ATTRIBUTES.verdict.name, opts.verdict);
  if (parts.length === 0) parts.push(`${SEARCH_ATTRIBUTES.scenario.name} IS NOT NULL`);
  return parts.join(' AND ');
}

function first(v: unknown): string {
  return Array.isArray(v) && v.length > 0 ? String(v[0]) : '';
}

/** Registers `runs`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('runs')
    .description('list gameday runs, filtered by service, scenario, tier and verdict (newest first)')
    .option('--service <name>', 'GamedayService')
    .option('--scenario <name>', 'GamedayScenario, e.g. preflight')
    .option('--tier <tier>', 'GamedayTier, e.g. tier0')
    .option('--verdict <verdict>', 'GamedayVerdict: pass or fail')
    .option('--limit <n>', 'at most this many runs', '20')
    .action(async (opts: RunsOptions, cmd: Command) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit <= 0 || limit > 10_000)
        throw new UsageError(`--limit: expected an integer from 1 to 10000, got "${opts.limit.slice(0, 40)}"`);
      const query = buildRunsQuery(opts);
      const out = ctx.output(cmd);
      const client = await ctx.client(cmd);
      const runs: Record<string, unknown>[] = [];
      for await (const w of client.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
        const sa = w.searchAttributes;
        runs.push({
          workflowId: w.workflowId,
          runId: w.runId,
          type: w.type,
          status: w.status.name,
          startTime: w.startTime.toISOString(),
          closeTime: w.closeTime?.toISOString(),
          service: first(sa[SEARCH_ATTRIBUTES.service.name]),
          scenario: first(sa[SEARCH_ATTRIBUTES.scenario.name]),
          tier: first(sa[SEARCH_ATTRIBUTES.tier.name]),
          verdict: first(sa[SEARCH_ATTRIBUTES.verdict.name]),
          rtoSeconds: first(sa[SEARCH_ATTRIBUTES.rtoSeconds.name]),
          rpoSeconds: first(sa[SEARCH_ATTRIBUTES.rpoSeconds.name]),
        });
        if (runs.length >= limit) break;
      }
      const rows = runs.map((r) =>
        [r.startTime, r.workflowId, r.type, r.status, r.service, r.scenario, r.tier, r.verdict, r.rtoSeconds, r.rpoSeconds].map((v) =>
          String(v ?? ''),
        ),
      );
      const human =
        runs.length === 0
          ? `no runs match ${query}`
          : table(['started', 'workflow id', 'type', 'status', 'service', 'scenario', 'tier', 'verdict', 'rto s', 'rpo s'], rows);
      out.result(human, { query, runs });
    });
}
