/**
 * The worker's blast radius, from its own configuration (never from workflow input): the accounts,
 * regions and optionally runbook names it may act on, and whether inline runbook YAML is allowed.
 *
 * - `GAMEDAY_POLICY_FILE`: a YAML or JSON file `{accounts, regions, runbooks?, allowInlineRunbooks?}`;
 * - `GAMEDAY_ALLOWED_ACCOUNTS`, `GAMEDAY_ALLOWED_REGIONS`, `GAMEDAY_ALLOWED_RUNBOOKS` (comma lists)
 *   and `GAMEDAY_ALLOW_INLINE_RUNBOOKS` override the file's fields;
 * - with neither, a worker on the simulated AWS takes the union of its runbook folder
 *   (`folderPolicy`); a worker on real AWS refuses to start: it must be told what it may touch.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { folderPolicy, type WorkerPolicy } from '../runbooks/blast-radius';
import { ConfigError, type WorkerConfig } from './config';

const account = z.string().regex(/^\d{12}$/, 'expected 12-digit AWS account ids');
const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected AWS regions such as us-east-1');
const runbookName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected runbook names such as payments-prod');

const PolicyFile = z.strictObject({
  accounts: z.array(account).min(1).optional(),
  regions: z.array(region).min(1).optional(),
  runbooks: z.array(runbookName).optional(),
  allowInlineRunbooks: z.boolean().optional(),
});

function list<T>(variable: string, text: string | undefined, item: z.ZodType<T>): T[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const values = text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = values.find((v) => !item.safeParse(v).success);
  if (bad !== undefined) {
    const msg = item.safeParse(bad).error?.issues[0]?.message ?? 'invalid';
    throw new ConfigError(`${variable}: "${bad}": ${msg} (a comma-separated list)`);
  }
  return values as T[];
}

function readPolicyFile(path: string): z.infer<typeof PolicyFile> {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new ConfigError(`GAMEDAY_POLICY_FILE: ${path} is not a file; point it at the worker's policy (YAML or JSON)`);
  if (statSync(path).size > 1_000_000) throw new ConfigError(`GAMEDAY_POLICY_FILE: ${path} is larger than 1 MB`);
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'), { maxAliasCount: 0 });
  } catch (err) {
    throw new ConfigError(`GAMEDAY_POLICY_FILE: ${path}: not YAML/JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const r = PolicyFile.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new ConfigError(`GAMEDAY_POLICY_FILE: ${path}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return r.data;
}

/** The worker's policy for `config` (see the module doc); throws `ConfigError` naming the variable. */
export function loadWorkerPolicy(config: WorkerConfig, runbookDir: string): WorkerPolicy {
  const file = config.GAMEDAY_POLICY_FILE ? readPolicyFile(config.GAMEDAY_POLICY_FILE) : {};
  const accounts = list('GAMEDAY_ALLOWED_ACCOUNTS', config.GAMEDAY_ALLOWED_ACCOUNTS, account) ?? file.accounts;
  const regions = list('GAMEDAY_ALLOWED_REGIONS', config.GAMEDAY_ALLOWED_REGIONS, region) ?? file.regions;
  const runbooks = list('GAMEDAY_ALLOWED_RUNBOOKS', config.GAMEDAY_ALLOWED_RUNBOOKS, runbookName) ?? file.runbooks;
  const inline =
    config.GAMEDAY_ALLOW_INLINE_RUNBOOKS !== undefined
      ? config.GAMEDAY_ALLOW_INLINE_RUNBOOKS === 'true'
      : (file.allowInlineRunbooks ?? false);
  const configured = accounts !== undefined || regions !== undefined;
  if (config.GAMEDAY_AWS === 'real' && (accounts === undefined || regions === undefined)) {
    throw new ConfigError(
      `GAMEDAY_ALLOWED_ACCOUNTS / GAMEDAY_ALLOWED_REGIONS: a worker on real AWS must be told what it may touch; set both (comma lists) or GAMEDAY_POLICY_FILE with accounts and regions`,
    );
  }
  const folder = configured && accounts !== undefined && regions !== undefined ? undefined : folderPolicy(runbookDir);
  const source = [
    config.GAMEDAY_POLICY_FILE ? `GAMEDAY_POLICY_FILE ${config.GAMEDAY_POLICY_FILE}` : undefined,
    config.GAMEDAY_ALLOWED_ACCOUNTS || config.GAMEDAY_ALLOWED_REGIONS || config.GAMEDAY_ALLOWED_RUNBOOKS ? 'GAMEDAY_ALLOWED_*' : undefined,
    folder ? folder.source : undefined,
  ]
    .filter(Boolean)
    .join(' + ');
  return {
    accounts: accounts ?? folder!.accounts,
    regions: regions ?? folder!.regions,
    ...(runbooks ? { runbooks } : {}),
    allowInlineRunbooks: inline,
    source,
  };
}
