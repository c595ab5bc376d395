/**
 * Application reconfiguration (an SSM parameter or an SSM Automation).
 */
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import type { Runbook } from '../../runbooks/schema';
import { activityHooks } from './activity-context';
import { startAutomation, type AutomationStart } from './start-automation';
import { render } from './render-template';

/**
 * Points the application at the new region: an SSM parameter (read first; written only when it
 * differs) or an SSM Automation (parameters get `{{region}}`, `{{clusterId}}` rendered).
 * A parameter's `at` is SSM's own time of the change (`LastModifiedDate`, `atSource: 'aws'`):
 * read back after the put (PutParameter answers no time), or from the first read when a retried
 * attempt finds the value already set. Without it, `at` is the clock just before the put.
 */
export async function reconfigureApplication(
  deps: ActivityDeps,
  input: {
    readonly runbook: Runbook;
    readonly workflowId: string;
    readonly region: string;
    readonly clusterId: string;
    readonly step?: string;
  },
): Promise<
  | AutomationStart
  | { readonly effect: 'skipped' | 'already-done' | 'called'; readonly at: number; readonly detail: string; readonly atSource?: 'aws' }
> {
  activityHooks().heartbeat({ step: 'app' });
  const cfg = input.runbook.appReconfiguration;
  if (!cfg) return { effect: 'skipped', at: deps.clock.now(), detail: 'runbook has no appReconfiguration' };
  const vars = { region: input.region, clusterId: input.clusterId, service: input.runbook.service, environment: input.runbook.environment };
  if (cfg.kind === 'ssm-parameter') {
    const ssm = deps.aws.ssm({ region: input.region, accountId: input.runbook.account });
    const value = render(cfg.valueTemplate, vars);
    const read = () => withAwsErrors(() => ssm.getParameter(cfg.name), `ssm.getParameter(${cfg.name})`);
    const current = await read();
    if (current?.value === value) {
      const detail = `${cfg.name} already ${value}`;
      if (current.lastModifiedAt === undefined) return { effect: 'already-done', at: deps.clock.now(), detail };
      return { effect: 'already-done', at: current.lastModifiedAt, atSource: 'aws', detail: `${detail} (since SSM's LastModifiedDate)` };
    }
    const at = deps.clock.now();
    const put = await withAwsErrors(() => ssm.putParameter({ name: cfg.name, value, overwrite: true }), `ssm.putParameter(${cfg.name})`);
    const detail = `${cfg.name} = ${value} (was ${current?.value ?? 'unset'})`;
    const after = await read();
    // Another writer may have changed it since: only this put's version carries this put's time.
    if (after?.version === put.version && after.lastModifiedAt !== undefined) {
      return {
        effect: 'called',
        at: after.lastModifiedAt,
        atSource: 'aws',
        detail: `${detail}, version ${put.version} at SSM's LastModifiedDate`,
      };
    }
    return { effect: 'called', at, detail };
  }
  const parameters = Object.fromEntries(Object.entries(cfg.parameters).map(([k, vs]) => [k, vs.map((v) => render(v, vars))]));
  return startAutomation(deps, {
    region: input.region,
    account: input.runbook.account,
    documentName: cfg.documentName,
    parameters,
    tokenKey: `${input.workflowId}/${input.step ?? 'app'}/${input.region}`,
  });
}
