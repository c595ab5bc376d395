/**
 * What the FIS activities share: the client for a region and account, the lookup of a managed
 * template by its gameday tags, and the action start times of an experiment.
 */
import type { FisRef } from '../../contracts/az-loss';
import type { PreparedFisTemplate } from '../../contracts/fis-templates';
import { GAMEDAY_MANAGED_TAG } from '../../runbooks/fis-templates';
import { withAwsErrors } from '../aws/errors';
import type { FisApi, FisExperiment, FisExperimentTemplate, FisExperimentTemplateInput } from '../aws/ports';
import type { ActivityDeps } from '../deps';

/** Experiment states after which nothing more happens. */
export const FIS_TERMINAL_STATES: readonly string[] = ['completed', 'stopped', 'failed', 'cancelled'];

/** The FIS client of `ref`'s region and account. */
export function fisApi(deps: ActivityDeps, ref: FisRef): FisApi {
  return deps.aws.fis({ region: ref.region, accountId: ref.account });
}

/** The tags that identify one managed template (everything but free-form ones). */
function identity(t: FisExperimentTemplateInput): Record<string, string> {
  const tags = t.tags ?? {};
  return Object.fromEntries(Object.entries(tags).filter(([k]) => k === GAMEDAY_MANAGED_TAG || k.startsWith('gameday-')));
}

/** The deployed template carrying `t`'s gameday tags (read in full, for the diff), if any. */
export async function findDeployed(deps: ActivityDeps, t: PreparedFisTemplate): Promise<FisExperimentTemplate | undefined> {
  const api = fisApi(deps, t);
  const wanted = identity(t.input);
  const all = await withAwsErrors(() => api.listExperimentTemplates(), `fis.listExperimentTemplates(${t.region})`);
  const mine = all.filter((d) => Object.entries(wanted).every(([k, v]) => d.tags?.[k] === v));
  if (mine.length === 0) return undefined;
  return withAwsErrors(() => api.getExperimentTemplate(mine[0]!.id), `fis.getExperimentTemplate(${mine[0]!.id})`);
}

/** Start time of each action of an experiment that has started, by action name. */
export function actionStartsOf(e: FisExperiment): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, a] of Object.entries(e.actions ?? {})) if (a.startTime !== undefined) out[name] = a.startTime;
  return out;
}

/** Reads an experiment. */
export function readExperiment(deps: ActivityDeps, ref: FisRef, experimentId: string): Promise<FisExperiment> {
  return withAwsErrors(() => fisApi(deps, ref).getExperiment(experimentId), `fis.getExperiment(${experimentId})`);
}
