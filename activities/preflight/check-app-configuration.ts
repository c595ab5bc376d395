/**
 * Preflight check of the application's configuration parameter.
 */
import type { PreflightCheck } from '../../contracts/preflight';
import type { Runbook } from '../../runbooks/schema';
import type { ActivityDeps } from '../deps';
import { check, read } from './check-helpers';

/**
 * App reconfiguration target: an SSM parameter exists in the primary region and its value
 * points at the primary region (`valueTemplate` with `{{region}}`). SSM documents (automation,
 * write fencing) are not checked: the `SsmApi` port has no document lookup.
 */
export async function checkAppConfiguration(deps: ActivityDeps, rb: Runbook): Promise<PreflightCheck[]> {
  const app = rb.appReconfiguration;
  if (app?.kind !== 'ssm-parameter' || !rb.aurora) return [];
  const region = rb.aurora.primaryRegion;
  const expected = app.valueTemplate.replaceAll('{{region}}', region);
  const r = await read(() => deps.aws.ssm({ region, accountId: rb.account }).getParameter(app.name));
  const found = r.missing ?? (r.value ? r.value.value : 'no such parameter');
  return [check(`ssm: parameter ${app.name} (${region})`, r.value?.value === expected, expected, found)];
}
