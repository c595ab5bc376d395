/**
 * FIS activities: templates (find by gameday tags, create, update) and experiments (start, await
 * end, stop). One AWS mutation each, read before write, deterministic client tokens, `pollUntil`
 * with heartbeats for every wait, errors through `activities/aws/errors.ts`.
 */
import { withAwsErrors } from '../aws/errors';
import { pollUntil } from '../aws/poll';
import type { FisApi, FisExperiment, FisExperimentTemplate, FisExperimentTemplateInput } from '../aws/ports';
import type { ActivityDeps } from '../deps';
import { activityHooks } from '../promotion/activity-context';
import { GAMEDAY_MANAGED_TAG, diffFisTemplates } from '../../runbooks/fis-templates';
import type { ExperimentEnd, FisRef, FisTemplateApplied, FisTemplateLookup, PreparedFisTemplate, StartedExperiment } from './types';

/** Experiment states after which nothing more happens. */
export const FIS_TERMINAL_STATES: readonly string[] = ['completed', 'stopped', 'failed', 'cancelled'];

/** The tags that identify one managed template (everything but free-form ones). */
function identity(t: FisExperimentTemplateInput): Record<string, string> {
  const tags = t.tags ?? {};
  return Object.fromEntries(Object.entries(tags).filter(([k]) => k === GAMEDAY_MANAGED_TAG || k.startsWith('gameday-')));
}

function matches(deployed: FisExperimentTemplate, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([k, v]) => deployed.tags?.[k] === v);
}

function actionStartsOf(e: FisExperiment): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, a] of Object.entries(e.actions ?? {})) if (a.startTime !== undefined) out[name] = a.startTime;
  return out;
}

/** The stop-condition alarm named in an experiment's stop reason, if FIS said which. */
function alarmInReason(reason: string | undefined, alarms: readonly string[]): string[] {
  if (!reason) return [];
  return alarms.filter((a) => reason.includes(a));
}

/** Builds the FIS activities bound to `deps`. */
export function createFisActivities(deps: ActivityDeps) {
  const fis = (ref: FisRef): FisApi => deps.aws.fis({ region: ref.region, accountId: ref.account });

  async function findDeployed(t: PreparedFisTemplate): Promise<FisExperimentTemplate | undefined> {
    const api = fis(t);
    const wanted = identity(t.input);
    const all = await withAwsErrors(() => api.listExperimentTemplates(), `fis.listExperimentTemplates(${t.region})`);
    const mine = all.filter((d) => matches(d, wanted));
    if (mine.length === 0) return undefined;
    // The list may return summaries; read the full template for the diff.
    return withAwsErrors(() => api.getExperimentTemplate(mine[0]!.id), `fis.getExperimentTemplate(${mine[0]!.id})`);
  }

  return {
    /** Finds the deployed copy of a template (by its gameday tags) and diffs it with the rendered one. Read only. */
    async findFisTemplate(t: PreparedFisTemplate): Promise<FisTemplateLookup> {
      const deployed = await findDeployed(t);
      return { name: t.name, region: t.region, ...(deployed ? { id: deployed.id } : {}), differences: diffFisTemplates(t.input, deployed) };
    },

    /**
     * Creates a template tagged gameday-managed, unless one with the same tags exists (read before
     * write). `clientToken` is deterministic (workflow id + template name), so a retry cannot create two.
     */
    async createFisTemplate(input: { template: PreparedFisTemplate; clientToken: string }): Promise<FisTemplateApplied> {
      const t = input.template;
      const existing = await findDeployed(t);
      if (existing) return { name: t.name, region: t.region, id: existing.id, action: 'unchanged' };
      const created = await withAwsErrors(
        () => fis(t).createExperimentTemplate({ ...t.input, clientToken: input.clientToken }),
        `fis.createExperimentTemplate(${t.name})`,
      );
      deps.logger.info({ template: t.name, id: created.id, region: t.region }, 'FIS template created');
      return { name: t.name, region: t.region, id: created.id, action: 'created' };
    },

    /** Updates a deployed template to the rendered one; reads it first and does nothing when equal. */
    async updateFisTemplate(input: { template: PreparedFisTemplate; id: string }): Promise<FisTemplateApplied> {
      const t = input.template;
      const api = fis(t);
      const deployed = await withAwsErrors(() => api.getExperimentTemplate(input.id), `fis.getExperimentTemplate(${input.id})`);
      if (diffFisTemplates(t.input, deployed).length === 0) return { name: t.name, region: t.region, id: input.id, action: 'unchanged' };
      await withAwsErrors(() => api.updateExperimentTemplate(input.id, t.input), `fis.updateExperimentTemplate(${input.id})`);
      deps.logger.info({ template: t.name, id: input.id, region: t.region }, 'FIS template updated');
      return { name: t.name, region: t.region, id: input.id, action: 'updated' };
    },

    /**
     * Starts an experiment from a template. The deterministic `clientToken` (derived from the
     * workflow id) makes a retried start return the same experiment instead of a second fault.
     */
    async startFisExperiment(
      input: FisRef & { templateId: string; clientToken: string; tags?: Record<string, string> },
    ): Promise<StartedExperiment> {
      const api = fis(input);
      const e = await withAwsErrors(
        () =>
          api.startExperiment({
            experimentTemplateId: input.templateId,
            clientToken: input.clientToken,
            ...(input.tags ? { tags: input.tags } : {}),
          }),
        `fis.startExperiment(${input.templateId})`,
      );
      const now = deps.clock.now();
      deps.logger.info({ experimentId: e.id, templateId: input.templateId, status: e.state.status }, 'FIS experiment started');
      return { experimentId: e.id, status: e.state.status, startedAt: e.startTime ?? now, actionStarts: actionStartsOf(e) };
    },

    /** Reads an experiment (status, action start times). */
    async getFisExperiment(
      input: FisRef & { experimentId: string },
    ): Promise<{ status: string; reason?: string; actionStarts: Record<string, number> }> {
      const e = await withAwsErrors(() => fis(input).getExperiment(input.experimentId), `fis.getExperiment(${input.experimentId})`);
      return { status: e.state.status, ...(e.state.reason ? { reason: e.state.reason } : {}), actionStarts: actionStartsOf(e) };
    },

    /**
     * Waits (heartbeating) until the experiment reaches a terminal state, then says how it ended:
     * a `stopped` experiment with a stop-condition alarm in ALARM (or named in the reason) was
     * halted by that stop condition. Cancelled by the workflow when recovery is verified first.
     */
    async awaitFisExperimentEnd(
      input: FisRef & { experimentId: string; stopConditionAlarms: readonly string[]; timeoutMs: number; pollIntervalMs?: number },
    ): Promise<ExperimentEnd> {
      const api = fis(input);
      const hooks = activityHooks();
      const res = await pollUntil<FisExperiment>({
        read: () => withAwsErrors(() => api.getExperiment(input.experimentId), `fis.getExperiment(${input.experimentId})`),
        done: (e) => FIS_TERMINAL_STATES.includes(e.state.status),
        clock: deps.clock,
        intervalMs: input.pollIntervalMs ?? 1000,
        fastIntervalMs: input.pollIntervalMs ?? 1000,
        timeoutMs: input.timeoutMs,
        heartbeat: hooks.heartbeat,
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        what: `FIS experiment ${input.experimentId} to end`,
      });
      const e = res.state;
      let fired = alarmInReason(e.state.reason, input.stopConditionAlarms);
      if (e.state.status === 'stopped' && input.stopConditionAlarms.length > 0) {
        const states = await withAwsErrors(
          () => deps.aws.cloudwatch({ region: input.region, accountId: input.account }).describeAlarms(input.stopConditionAlarms),
          'cloudwatch.describeAlarms(stop conditions)',
        );
        fired = [...new Set([...fired, ...states.filter((s) => s.stateValue === 'ALARM').map((s) => s.alarmName)])];
      }
      return {
        experimentId: e.id,
        status: e.state.status,
        ...(e.state.reason ? { reason: e.state.reason } : {}),
        endedAt: e.endTime ?? res.observedAt,
        firedAlarms: fired,
        haltedByStopCondition: e.state.status === 'stopped' && fired.length > 0,
        actionStarts: actionStartsOf(e),
      };
    },

    /**
     * Stops an experiment and waits until it is terminal. Reads first: an experiment already
     * ended (or stopping) is not stopped again. Always called from a non-cancellable scope.
     */
    async stopFisExperiment(
      input: FisRef & { experimentId: string; timeoutMs?: number },
    ): Promise<{ status: string; reason?: string; stoppedByUs: boolean; endedAt: number }> {
      const api = fis(input);
      const before = await withAwsErrors(() => api.getExperiment(input.experimentId), `fis.getExperiment(${input.experimentId})`);
      let stoppedByUs = false;
      if (!FIS_TERMINAL_STATES.includes(before.state.status) && before.state.status !== 'stopping') {
        await withAwsErrors(() => api.stopExperiment(input.experimentId), `fis.stopExperiment(${input.experimentId})`);
        stoppedByUs = true;
        deps.logger.info({ experimentId: input.experimentId }, 'FIS experiment stop requested');
      }
      const hooks = activityHooks();
      const res = await pollUntil<FisExperiment>({
        read: () => withAwsErrors(() => api.getExperiment(input.experimentId), `fis.getExperiment(${input.experimentId})`),
        done: (e) => FIS_TERMINAL_STATES.includes(e.state.status),
        clock: deps.clock,
        intervalMs: 1000,
        timeoutMs: input.timeoutMs ?? 10 * 60_000,
        heartbeat: hooks.heartbeat,
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        what: `FIS experiment ${input.experimentId} to stop`,
      });
      return {
        status: res.state.state.status,
        ...(res.state.state.reason ? { reason: res.state.state.reason } : {}),
        stoppedByUs,
        endedAt: res.state.endTime ?? res.observedAt,
      };
    },
  };
}
