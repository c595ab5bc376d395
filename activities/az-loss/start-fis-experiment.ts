/** `startFisExperiment`: the fault. */
import type { FisRef, StartedExperiment } from '../../contracts/az-loss';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { actionStartsOf, fisApi } from './fis-common';

/**
 * Starts an experiment from a template. The deterministic `clientToken` (derived from the
 * workflow id) makes a retried start return the same experiment instead of a second fault.
 */
export async function startFisExperiment(
  deps: ActivityDeps,
  input: FisRef & { readonly templateId: string; readonly clientToken: string; readonly tags?: Readonly<Record<string, string>> },
): Promise<StartedExperiment> {
  const e = await withAwsErrors(
    () =>
      fisApi(deps, input).startExperiment({
        experimentTemplateId: input.templateId,
        clientToken: input.clientToken,
        ...(input.tags ? { tags: input.tags } : {}),
      }),
    `fis.startExperiment(${input.templateId})`,
  );
  const now = deps.clock.now();
  deps.logger.info({ experimentId: e.id, templateId: input.templateId, status: e.state.status }, 'FIS experiment started');
  return { experimentId: e.id, status: e.state.status, startedAt: e.startTime ?? now, actionStarts: actionStartsOf(e) };
}
