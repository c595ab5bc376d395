/** Lookups and port views of FIS templates and experiments. */
import type { FisActionState, FisExperiment, FisExperimentTemplate } from '../../activities/aws/ports';
import { SimAwsError } from '../world';
import type { Experiment, FisState } from './state';

/** A template of `region` (404 otherwise). */
export function template(fis: FisState, region: string, id: string): FisExperimentTemplate & { region: string } {
  const t = fis.templates.get(id);
  if (!t || t.region !== region)
    throw new SimAwsError('ResourceNotFoundException', `Experiment template ${id} not found in ${region}`, 404);
  return t;
}

/** The port view of a template. */
export function templateView(fis: FisState, t: FisExperimentTemplate & { region: string }): FisExperimentTemplate {
  const { region: _region, ...rest } = t;
  return structuredClone(rest);
}

/** An experiment of `region` (404 otherwise). */
export function experiment(fis: FisState, region: string, id: string): Experiment {
  const e = fis.experiments.get(id);
  if (!e || e.region !== region) throw new SimAwsError('ResourceNotFoundException', `Experiment ${id} not found in ${region}`, 404);
  return e;
}

/** The port view of an experiment. */
export function view(fis: FisState, e: Experiment): FisExperiment {
  const actions: Record<string, FisActionState> = {};
  for (const a of e.actions.values()) {
    actions[a.name] = {
      status: a.status,
      ...(a.reason ? { reason: a.reason } : {}),
      ...(a.startTime !== undefined ? { startTime: a.startTime } : {}),
      ...(a.endTime !== undefined ? { endTime: a.endTime } : {}),
    };
  }
  return {
    id: e.id,
    experimentTemplateId: e.template.id,
    state: { status: e.status, ...(e.reason ? { reason: e.reason } : {}) },
    actions,
    stopConditions: structuredClone(e.template.stopConditions),
    startTime: e.startTime,
    ...(e.endTime !== undefined ? { endTime: e.endTime } : {}),
    tags: { ...e.tags },
  };
}
