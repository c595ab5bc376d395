/** `getFisExperiment`: one read of an experiment. */
import type { ExperimentState, FisRef } from '../../contracts/az-loss';
import type { ActivityDeps } from '../deps';
import { actionStartsOf, readExperiment } from './fis-common';

/** Reads an experiment: its status and the start time of each action. */
export async function getFisExperiment(deps: ActivityDeps, input: FisRef & { readonly experimentId: string }): Promise<ExperimentState> {
  const e = await readExperiment(deps, input, input.experimentId);
  return { status: e.state.status, ...(e.state.reason ? { reason: e.state.reason } : {}), actionStarts: actionStartsOf(e) };
}
