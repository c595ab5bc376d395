/** `listTempInstances`: the instances of a temporary cluster, so its undo also deletes any it did not create. */
import type { ActivityDeps } from '../deps';
import { withAwsErrors } from '../aws/errors';
import type { TempResourceRef } from '../../contracts/drill';

/** Lists the instances of the temporary cluster (so cleanup also deletes any it did not create). */
export async function listTempInstances(deps: ActivityDeps, ref: TempResourceRef): Promise<string[]> {
  const rds = deps.aws.rds(ref.target);
  const found = await withAwsErrors(
    () => rds.listDbInstances({ dbClusterIdentifier: ref.clusterId }),
    `rds.listDbInstances(${ref.clusterId})`,
  );
  return [...new Set([...ref.instanceIds, ...found.map((i) => i.dbInstanceIdentifier)])];
}
