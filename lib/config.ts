/**
 * Process configuration from the environment, validated once with zod at the edge.
 * gameday's own settings (GAMEDAY_*, LOG_LEVEL); Temporal's connection settings are loaded by
 * `lib/temporal-connection.ts`.
 */
import { z } from 'zod';

/**
 * The worker's settings. The Temporal connection (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS, API
 * key, profiles) is not here: `lib/temporal-connection.ts` loads it the way Temporal's tools do.
 */
export const WorkerConfig = z.object({
  GAMEDAY_TASK_QUEUE: z.string().min(1).default('gameday'),
  /** `real` talks to AWS through the SDK; `sim` to the simulated AWS. */
  GAMEDAY_AWS: z.enum(['real', 'sim']).default('sim'),
  /** URL of a running sim server (`npm run sim`); empty = an in-process sim seeded from the runbooks. */
  GAMEDAY_SIM_URL: z.string().url().optional(),
  /** Simulated ms per wall ms for an in-process sim. */
  GAMEDAY_SIM_SCALE: z.coerce.number().positive().default(60),
  GAMEDAY_RUNBOOK_DIR: z.string().optional(),
  /** Endpoint override for every AWS client (moto, LocalStack). */
  GAMEDAY_AWS_ENDPOINT: z.string().url().optional(),
  /** Max activity starts per second on the task queue (protects the AWS API budget). */
  GAMEDAY_MAX_ACTIVITIES_PER_SECOND: z.coerce.number().positive().optional(),
  /**
   * Budget of AWS calls per second per account and region for the drills, held for the whole
   * fleet by Temporal's task-queue rate limit on the `<queue>-aws-<account>-<region>` queues
   * (`lib/aws-budget.ts`); unset = no limit. Drill activities still on the main queue (Backtrack,
   * the orphan sweeper, runs started before the budget queues) are spaced per process instead.
   */
  GAMEDAY_RDS_CALLS_PER_SECOND: z.coerce.number().positive().optional(),
  /** Partitions of the budget queues on the Temporal server (sizes the burst allowance). */
  GAMEDAY_AWS_BUDGET_PARTITIONS: z.coerce.number().int().positive().default(4),
  GAMEDAY_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(200),
  /** Grace period for in-flight activities at shutdown. */
  GAMEDAY_SHUTDOWN_GRACE_MS: z.coerce.number().int().nonnegative().default(30_000),
  /** The worker's blast radius (`lib/worker-policy.ts`): comma lists; a runbook can only narrow them. */
  GAMEDAY_ALLOWED_ACCOUNTS: z.string().optional(),
  GAMEDAY_ALLOWED_REGIONS: z.string().optional(),
  GAMEDAY_ALLOWED_RUNBOOKS: z.string().optional(),
  /** `true` lets workflow input carry a runbook as YAML (`runbookYaml`); off by default. */
  GAMEDAY_ALLOW_INLINE_RUNBOOKS: z.enum(['true', 'false']).optional(),
  /** YAML/JSON policy file (accounts, regions, runbooks, allowInlineRunbooks); variables override it. */
  GAMEDAY_POLICY_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
/** The parsed worker settings. */
export type WorkerConfig = z.infer<typeof WorkerConfig>;

/** Thrown for a bad environment; the message names each variable and what was expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the worker settings from `env`; throws {@link ConfigError} naming each bad variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const r = WorkerConfig.safeParse(env);
  if (r.success) return r.data;
  throw new ConfigError(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
}
