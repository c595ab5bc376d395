/**
 * `FisApi` over `@aws-sdk/client-fis`. The FIS client is pinned (3.523.0) and ships its own
 * `@smithy/types`, which do not type-check against the newer ones of the other clients; the
 * clash is contained here: the shared client config is cast once when the client is built, and
 * nothing FIS-typed leaves this file (the port speaks only our own domain types).
 *
 * Template inputs may carry the optional CreateExperimentTemplate fields (`experimentOptions`,
 * `logConfiguration`, `experimentReportConfiguration`, see `runbooks/fis-templates/document`).
 * 3.523.0 serialises the first two; it predates `experimentReportConfiguration`, which is added to
 * the request body by a serialize-step middleware (`withReportConfiguration`). Its responses drop
 * that field, so a template read back does not show it.
 */
import {
  CreateExperimentTemplateCommand,
  DeleteExperimentTemplateCommand,
  FisClient,
  GetExperimentCommand,
  GetExperimentTemplateCommand,
  ListExperimentTemplatesCommand,
  StartExperimentCommand,
  StopExperimentCommand,
  UpdateExperimentTemplateCommand,
  type Experiment as SdkExperiment,
  type ExperimentTemplate as SdkTemplate,
  type FisClientConfig,
} from '@aws-sdk/client-fis';
import { requestHandlerOptions, withActivityCancellation, type RequestHandlerOptions } from './sdk-bounds';
import type {
  FisAction,
  FisActionState,
  FisExperiment,
  FisExperimentTemplate,
  FisExperimentTemplateInput,
  FisApi,
  FisStopCondition,
  FisTarget,
} from './ports';

/** The client settings the factory shares with every service (credentials typed by the newer smithy). */
export interface FisAdapterConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly maxAttempts: number;
  readonly credentials: unknown;
  /** NodeHttpHandler options (timeouts); the pinned client's own handler takes the same plain options. */
  readonly requestHandler?: RequestHandlerOptions;
}

/** Thrown when FIS answers without a field the port requires. */
export class FisResponseShapeError extends Error {
  override readonly name = 'FisResponseShapeError';
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === null) throw new FisResponseShapeError(`FIS response lacks ${what}`);
  return value;
}

const maybe = <K extends string, V>(key: K, v: V | undefined | null): { [P in K]?: V } =>
  (v === undefined || v === null ? {} : { [key]: v }) as { [P in K]?: V };

function mapRecord<A, B>(rec: Record<string, A> | undefined, f: (a: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(rec ?? {}).map(([k, v]) => [k, f(v)]));
}

/** SDK experiment template → port template. */
export function mapTemplate(t: SdkTemplate): FisExperimentTemplate {
  return {
    id: required(t.id, 'experimentTemplate.id'),
    description: t.description ?? '',
    roleArn: t.roleArn ?? '',
    targets: mapRecord(t.targets, (x): FisTarget => ({
      resourceType: x.resourceType ?? '',
      selectionMode: x.selectionMode ?? '',
      ...maybe('resourceArns', x.resourceArns),
      ...maybe('resourceTags', x.resourceTags),
      ...maybe(
        'filters',
        x.filters?.map((f) => ({ path: f.path ?? '', values: f.values ?? [] })),
      ),
      ...maybe('parameters', x.parameters),
    })),
    actions: mapRecord(t.actions, (a): FisAction => ({
      actionId: a.actionId ?? '',
      ...maybe('description', a.description),
      ...maybe('parameters', a.parameters),
      ...maybe('targets', a.targets),
      ...maybe('startAfter', a.startAfter),
    })),
    stopConditions: (t.stopConditions ?? []).map((s): FisStopCondition => ({ source: s.source ?? '', ...maybe('value', s.value) })),
    ...maybe('tags', t.tags),
  };
}

/** SDK experiment → port experiment. */
export function mapExperiment(e: SdkExperiment): FisExperiment {
  return {
    id: required(e.id, 'experiment.id'),
    experimentTemplateId: e.experimentTemplateId ?? '',
    state: { status: e.state?.status ?? 'unknown', ...maybe('reason', e.state?.reason) },
    actions: mapRecord(e.actions, (a): FisActionState => ({
      status: a.state?.status ?? 'unknown',
      ...maybe('reason', a.state?.reason),
      ...maybe('startTime', a.startTime?.getTime()),
      ...maybe('endTime', a.endTime?.getTime()),
    })),
    stopConditions: (e.stopConditions ?? []).map((s) => ({ source: s.source ?? '', ...maybe('value', s.value) })),
    ...maybe('startTime', e.startTime?.getTime()),
    ...maybe('endTime', e.endTime?.getTime()),
    tags: e.tags ?? {},
  };
}

/** Port template input → the SDK's create/update body (mutable copies), with the optional fields the SDK knows. */
function toSdkTemplateBody(input: FisExperimentTemplateInput, op: 'create' | 'update') {
  const options = input.experimentOptions;
  return {
    // UpdateExperimentTemplate takes emptyTargetResolutionMode only; account targeting is fixed at creation.
    ...maybe(
      'experimentOptions',
      options && op === 'update'
        ? maybe('emptyTargetResolutionMode', options.emptyTargetResolutionMode)
        : options
          ? { ...options }
          : undefined,
    ),
    ...maybe(
      'logConfiguration',
      input.logConfiguration
        ? {
            logSchemaVersion: input.logConfiguration.logSchemaVersion,
            ...maybe('cloudWatchLogsConfiguration', input.logConfiguration.cloudWatchLogsConfiguration),
            ...maybe('s3Configuration', input.logConfiguration.s3Configuration),
          }
        : undefined,
    ),
    description: input.description,
    roleArn: input.roleArn,
    targets: mapRecord(input.targets, (x) => ({
      resourceType: x.resourceType,
      selectionMode: x.selectionMode,
      ...maybe('resourceArns', x.resourceArns ? [...x.resourceArns] : undefined),
      ...maybe('resourceTags', x.resourceTags ? { ...x.resourceTags } : undefined),
      ...maybe(
        'filters',
        x.filters?.map((f) => ({ path: f.path, values: [...f.values] })),
      ),
      ...maybe('parameters', x.parameters ? { ...x.parameters } : undefined),
    })),
    actions: mapRecord(input.actions, (a) => ({
      actionId: a.actionId,
      ...maybe('description', a.description),
      ...maybe('parameters', a.parameters ? { ...a.parameters } : undefined),
      ...maybe('targets', a.targets ? { ...a.targets } : undefined),
      ...maybe('startAfter', a.startAfter ? [...a.startAfter] : undefined),
    })),
    stopConditions: input.stopConditions.map((s) => ({ source: s.source, ...maybe('value', s.value) })),
  };
}

/** The middleware name that adds `experimentReportConfiguration` to a request body. */
export const REPORT_CONFIGURATION_MIDDLEWARE = 'gamedayFisExperimentReportConfiguration';

/** A command whose middleware stack takes one more serialize-step middleware (the pinned SDK's own types stay here). */
interface MiddlewareCommand {
  readonly middlewareStack: {
    add(
      mw: (next: (args: { request?: unknown }) => Promise<unknown>) => (args: { request?: unknown }) => Promise<unknown>,
      options: { step: 'serialize'; priority: 'low'; name: string },
    ): void;
  };
}

/**
 * Adds `experimentReportConfiguration` to the JSON body of a create/update request: the pinned SDK
 * (3.523.0) does not know the field, so it would be dropped. Runs in the serialize step after the
 * SDK's serializer (low priority), before signing and content length.
 */
export function withReportConfiguration<C>(command: C, input: FisExperimentTemplateInput): C {
  const report = input.experimentReportConfiguration;
  if (!report) return command;
  (command as unknown as MiddlewareCommand).middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body?: unknown } | undefined;
      if (request && typeof request.body === 'string') {
        const body = JSON.parse(request.body) as Record<string, unknown>;
        request.body = JSON.stringify({ ...body, experimentReportConfiguration: report });
      }
      return next(args);
    },
    { step: 'serialize', priority: 'low', name: REPORT_CONFIGURATION_MIDDLEWARE },
  );
  return command;
}

/** Builds a FIS client from the factory's shared config (the one cast of the type clash). */
export function createFisClient(config: FisAdapterConfig): FisClient {
  return withActivityCancellation(new FisClient({ requestHandler: requestHandlerOptions(), ...config } as unknown as FisClientConfig));
}

/** Builds the FIS port from the factory's shared config, or over a given client (tests). */
export function createFisAdapter(configOrClient: FisAdapterConfig | FisClient): FisApi {
  const client = configOrClient instanceof FisClient ? withActivityCancellation(configOrClient) : createFisClient(configOrClient);
  const api: FisApi = {
    async createExperimentTemplate(input) {
      const r = await client.send(
        withReportConfiguration(
          new CreateExperimentTemplateCommand({
            clientToken: input.clientToken,
            ...toSdkTemplateBody(input, 'create'),
            ...maybe('tags', input.tags ? { ...input.tags } : undefined),
          }),
          input,
        ),
      );
      return mapTemplate(required(r.experimentTemplate, 'experimentTemplate'));
    },

    async updateExperimentTemplate(id, input) {
      const r = await client.send(
        withReportConfiguration(new UpdateExperimentTemplateCommand({ id, ...toSdkTemplateBody(input, 'update') }), input),
      );
      return mapTemplate(required(r.experimentTemplate, 'experimentTemplate'));
    },

    async getExperimentTemplate(id) {
      const r = await client.send(new GetExperimentTemplateCommand({ id }));
      return mapTemplate(required(r.experimentTemplate, 'experimentTemplate'));
    },

    async listExperimentTemplates() {
      // the list answers summaries only; each template is read in full
      const ids: string[] = [];
      let nextToken: string | undefined;
      do {
        const r = await client.send(new ListExperimentTemplatesCommand({ maxResults: 100, ...maybe('nextToken', nextToken) }));
        for (const s of r.experimentTemplates ?? []) if (s.id) ids.push(s.id);
        nextToken = r.nextToken;
      } while (nextToken);
      const out: FisExperimentTemplate[] = [];
      for (const id of ids) out.push(await api.getExperimentTemplate(id));
      return out;
    },

    async startExperiment({ experimentTemplateId, clientToken, tags }) {
      const r = await client.send(
        new StartExperimentCommand({ experimentTemplateId, clientToken, ...maybe('tags', tags ? { ...tags } : undefined) }),
      );
      return mapExperiment(required(r.experiment, 'experiment'));
    },

    async getExperiment(id) {
      const r = await client.send(new GetExperimentCommand({ id }));
      return mapExperiment(required(r.experiment, 'experiment'));
    },

    async stopExperiment(id) {
      const r = await client.send(new StopExperimentCommand({ id }));
      return mapExperiment(required(r.experiment, 'experiment'));
    },

    async deleteExperimentTemplate(id) {
      await client.send(new DeleteExperimentTemplateCommand({ id }));
    },
  };
  return api;
}
