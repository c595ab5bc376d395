/**
 * Builds the worker's `ActivityDeps` from its configuration, once per process:
 * - `GAMEDAY_AWS=real`: SDK v3 clients (`createSdkAwsClients`), wall clock, SQL canary connector;
 * - `GAMEDAY_AWS=sim` with `GAMEDAY_SIM_URL`: a running sim server over HTTP (`connectSim`);
 * - `GAMEDAY_AWS=sim` without it: an in-process sim seeded from the runbook folder.
 */
import type { WorkerConfig } from '../lib/config';
import { realClock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { DEFAULT_RUNBOOK_DIR } from '../runbooks/load';
import { createSimFromRunbookDir, type SimAws } from '../sim';
import { connectSim } from '../sim/http-client';
import { createSdkAwsClients } from './aws/client-factory';
import { createSqlCanaryConnector } from './canary/sql-connector';
import type { ActivityDeps } from './deps';

/** Deps plus what the worker must release at shutdown. */
export interface BuiltDeps {
  readonly deps: ActivityDeps;
  /** The in-process sim, when one was created (tests and the demo inspect it). */
  readonly sim?: SimAws;
  /** Releases clients, timers and connections. */
  close(): Promise<void>;
}

/** Creates the activity dependencies for `config` (see the module doc for the modes). */
export async function buildActivityDeps(config: WorkerConfig, logger: Logger): Promise<BuiltDeps> {
  const runbookDir = config.GAMEDAY_RUNBOOK_DIR ?? DEFAULT_RUNBOOK_DIR;

  if (config.GAMEDAY_AWS === 'real') {
    const aws = createSdkAwsClients({ endpoint: config.GAMEDAY_AWS_ENDPOINT });
    logger.info({ mode: 'real', endpoint: config.GAMEDAY_AWS_ENDPOINT }, 'activities use real AWS');
    return { deps: { aws, clock: realClock, logger, runbookDir, canary: createSqlCanaryConnector(aws) }, close: async () => undefined };
  }

  if (config.GAMEDAY_SIM_URL) {
    const remote = await connectSim(config.GAMEDAY_SIM_URL);
    logger.info({ mode: 'sim', url: config.GAMEDAY_SIM_URL }, 'activities use the sim server');
    return { deps: { aws: remote.aws, clock: remote.clock, logger, runbookDir, canary: remote.canary }, close: async () => undefined };
  }

  const sim = createSimFromRunbookDir(runbookDir, { scale: config.GAMEDAY_SIM_SCALE });
  logger.info({ mode: 'sim', runbookDir, scale: config.GAMEDAY_SIM_SCALE }, 'activities use an in-process sim seeded from the runbooks');
  return {
    deps: { aws: sim, clock: sim.world.clock, logger, runbookDir, canary: sim.canary },
    sim,
    close: async () => sim.close(),
  };
}

/** An in-process sim with every runbook of `runbookDir` seeded in a healthy steady state (tests, demo). */
export function createSimFromRunbooks(runbookDir: string, scale: number): SimAws {
  return createSimFromRunbookDir(runbookDir, { scale });
}
