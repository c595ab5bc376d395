/** `findFisTemplate`: where a deployed template stands against the rendered one. Read only. */
import type { FisTemplateLookup, PreparedFisTemplate } from '../../contracts/fis-templates';
import { diffFisTemplates } from '../../runbooks/fis-templates';
import type { ActivityDeps } from '../deps';
import { findDeployed } from './fis-common';

/** Finds the deployed copy of a template (by its gameday tags) and diffs it with the rendered one. */
export async function findFisTemplate(deps: ActivityDeps, t: PreparedFisTemplate): Promise<FisTemplateLookup> {
  const deployed = await findDeployed(deps, t);
  return { name: t.name, region: t.region, ...(deployed ? { id: deployed.id } : {}), differences: diffFisTemplates(t.input, deployed) };
}
