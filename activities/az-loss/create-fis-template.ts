/** `createFisTemplate`: one managed template created, once. */
import type { FisTemplateApplied, PreparedFisTemplate } from '../../contracts/fis-templates';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { findDeployed, fisApi } from './fis-common';

/**
 * Creates a template tagged gameday-managed, unless one with the same tags exists (read before
 * write). `clientToken` is deterministic (workflow id + template name), so a retry cannot create two.
 */
export async function createFisTemplate(
  deps: ActivityDeps,
  input: { readonly template: PreparedFisTemplate; readonly clientToken: string },
): Promise<FisTemplateApplied> {
  const t = input.template;
  const existing = await findDeployed(deps, t);
  if (existing) return { name: t.name, region: t.region, id: existing.id, action: 'unchanged' };
  const created = await withAwsErrors(
    () => fisApi(deps, t).createExperimentTemplate({ ...t.input, clientToken: input.clientToken }),
    `fis.createExperimentTemplate(${t.name})`,
  );
  deps.logger.info({ template: t.name, id: created.id, region: t.region }, 'FIS template created');
  return { name: t.name, region: t.region, id: created.id, action: 'created' };
}
