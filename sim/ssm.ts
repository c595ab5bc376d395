/**
 * The simulated Systems Manager: Parameter Store (versioned parameters) and Automation
 * (documents, executions Pending → InProgress → Success after 20–60 simulated seconds, stop →
 * Cancelling → Cancelled, ClientToken idempotency as AWS does it). Controls let tests make a
 * document fail and attach an effect on the simulated world to a document's success.
 * Write-fencing documents (a runbook's `writeFencing`) have no effect unless `configureFencing`
 * gives them one (`block-writes`: on success the cluster named by `ClusterId` stops taking writes,
 * as a fencing automation that revokes the application's write grants would).
 * Parameters and documents are regional; the seed creates them in every region of the runbook.
 */
import type { AutomationExecution, AwsTarget, SsmApi } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import { declaredPrimaryRegion, randomUuid } from './region-health';
import { SimAwsError, type SimWorld } from './world';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TERMINAL = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled']);

interface Parameter {
  value: string;
  version: number;
  lastModified: number;
}

interface Document {
  /** Failure message when the document is made to fail; undefined = succeeds. */
  failWith?: string;
  /** Effect applied on the simulated world when an execution succeeds. */
  effect?: (parameters: Readonly<Record<string, readonly string[]>>, at: number) => void;
  /** Duration range of an execution, simulated ms. */
  minMs: number;
  maxMs: number;
}

interface Execution {
  readonly id: string;
  readonly region: string;
  readonly documentName: string;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  readonly clientToken?: string;
  status: string;
  failureMessage?: string;
  readonly startTime: number;
  endTime?: number;
}

/** Options of a document registered through `registerDocument`. */
export interface SimDocumentOptions {
  /** Execution duration range, simulated ms. @default 20 000–60 000 */
  readonly minMs?: number;
  readonly maxMs?: number;
  /** Applied to the simulated world when an execution succeeds. */
  readonly effect?: (parameters: Readonly<Record<string, readonly string[]>>, at: number) => void;
}

/** What a write-fencing document does on success (`configureFencing`). */
export interface SimFencing {
  /** `none`: the document succeeds and nothing changes; `block-writes`: the named cluster stops taking writes. */
  readonly effect: 'none' | 'block-writes';
  /** Execution duration range of the fencing documents, simulated ms. */
  readonly duration: readonly [number, number];
}

/** The simulated Systems Manager. */
export class SsmSim {
  private fencing: SimFencing = { effect: 'none', duration: [20_000, 60_000] };
  /** `region|name` of the runbooks' write-fencing documents. */
  private readonly fenceDocs = new Set<string>();
  private readonly params = new Map<string, Parameter>();
  private readonly docs = new Map<string, Document>();
  private readonly executions = new Map<string, Execution>();
  private readonly byToken = new Map<string, string>();

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}

  /** Creates the runbook's app-configuration parameter or automation document, and its write-fencing document. */
  seed(rb: Runbook): void {
    const regions = rb.aurora?.members.map((m) => m.region) ?? rb.blastRadius.regions;
    const cfg = rb.appReconfiguration;
    for (const region of regions) {
      if (cfg?.kind === 'ssm-parameter') {
        const k = `${region}|${cfg.name}`;
        if (!this.params.has(k))
          this.params.set(k, {
            value: cfg.valueTemplate.replaceAll('{{region}}', declaredPrimaryRegion(rb)),
            version: 1,
            lastModified: this.world.now(),
          });
      }
      if (cfg?.kind === 'ssm-automation') this.registerDocument(region, cfg.documentName);
      if (rb.writeFencing) {
        this.fenceDocs.add(`${region}|${rb.writeFencing.documentName}`);
        this.registerDocument(region, rb.writeFencing.documentName, this.fencingOptions());
      }
    }
  }

  /**
   * Sets what the write-fencing documents do (for every one seeded, now and later) and how long
   * they run; `undefined` fields are left. Returns the setting in effect.
   */
  configureFencing(f: Partial<SimFencing>): SimFencing {
    this.fencing = { ...this.fencing, ...f };
    for (const k of this.fenceDocs) {
      const d = this.docs.get(k);
      if (d) this.docs.set(k, { failWith: d.failWith, ...this.fencingOptions() });
    }
    return this.fencing;
  }

  /** Duration and effect of a write-fencing document under the current setting. */
  private fencingOptions(): Pick<Document, 'minMs' | 'maxMs' | 'effect'> {
    const [minMs, maxMs] = this.fencing.duration;
    if (this.fencing.effect === 'none') return { minMs, maxMs };
    return {
      minMs,
      maxMs,
      effect: (p, at) => {
        const clusterId = p['ClusterId']?.[0];
        if (clusterId) this.sim.rdsSim.fenceWrites(clusterId, at);
      },
    };
  }

  /** Control: creates (or updates the options of) an automation document in a region. */
  registerDocument(region: string, name: string, opts: SimDocumentOptions = {}): void {
    const k = `${region}|${name}`;
    const existing = this.docs.get(k);
    this.docs.set(k, {
      failWith: existing?.failWith,
      effect: opts.effect ?? existing?.effect,
      minMs: opts.minMs ?? existing?.minMs ?? 20_000,
      maxMs: opts.maxMs ?? existing?.maxMs ?? 60_000,
    });
  }

  /** Control: executions of `name` started from now on fail with `failureMessage` (undefined = succeed again). */
  failDocument(name: string, failureMessage: string | undefined, region?: string): void {
    for (const [k, d] of this.docs)
      if (k.endsWith(`|${name}`) && (region === undefined || k.startsWith(`${region}|`))) d.failWith = failureMessage;
  }

  /** Current value of a parameter (no API accounting); undefined if absent. */
  parameterValue(region: string, name: string): string | undefined {
    return this.params.get(`${region}|${name}`)?.value;
  }

  /**
   * Starts an execution without API accounting (used by FIS `aws:ssm:start-automation-execution`).
   * Throws `AutomationDefinitionNotFoundException` for an unknown document.
   */
  startExecution(
    region: string,
    documentName: string,
    parameters: Readonly<Record<string, readonly string[]>>,
    clientToken?: string,
  ): string {
    const name = documentName.replace(/^arn:aws[a-z-]*:ssm:[^:]*:[^:]*:(automation-definition|document)\//, '').replace(/:.*$/, '');
    const doc = this.docs.get(`${region}|${name}`);
    if (!doc) throw new SimAwsError('AutomationDefinitionNotFoundException', `Automation definition ${name} not found in ${region}`, 400);
    const now = this.world.now();
    const e: Execution = {
      id: randomUuid(this.sim),
      region,
      documentName: name,
      parameters,
      clientToken,
      status: 'Pending',
      startTime: now,
    };
    this.executions.set(e.id, e);
    const inProgressAt = now + this.world.between(2_000, 5_000);
    const endAt = inProgressAt + this.world.between(doc.minMs, doc.maxMs);
    const failWith = doc.failWith;
    this.world.record({ service: 'ssm', resource: e.id, event: 'automation-pending', at: now, detail: { documentName: name, region } });
    this.world.schedule(inProgressAt, () => {
      if (e.status !== 'Pending') return;
      e.status = 'InProgress';
      this.world.record({
        service: 'ssm',
        resource: e.id,
        event: 'automation-in-progress',
        at: inProgressAt,
        detail: { documentName: name },
      });
    });
    this.world.schedule(endAt, () => {
      if (e.status !== 'InProgress') return;
      e.endTime = endAt;
      if (failWith !== undefined) {
        e.status = 'Failed';
        e.failureMessage = failWith;
        this.world.record({
          service: 'ssm',
          resource: e.id,
          event: 'automation-failed',
          at: endAt,
          detail: { documentName: name, failureMessage: failWith },
        });
        return;
      }
      e.status = 'Success';
      this.world.record({
        service: 'ssm',
        resource: e.id,
        event: 'automation-succeeded',
        at: endAt,
        detail: { documentName: name, parameters },
      });
      doc.effect?.(parameters, endAt);
    });
    return e.id;
  }

  /** Current status of an execution (no API accounting). */
  executionStatus(id: string): AutomationExecution | undefined {
    const e = this.executions.get(id);
    return e && this.view(e);
  }

  /** Cancels an execution without API accounting; no-op when it is already terminal. */
  cancelExecution(id: string): void {
    const e = this.executions.get(id);
    if (!e || TERMINAL.has(e.status) || e.status === 'Cancelling') return;
    const now = this.world.now();
    e.status = 'Cancelling';
    this.world.record({ service: 'ssm', resource: e.id, event: 'automation-cancelling', at: now });
    const at = now + this.world.between(2_000, 5_000);
    this.world.schedule(at, () => {
      e.status = 'Cancelled';
      e.endTime = at;
      this.world.record({ service: 'ssm', resource: e.id, event: 'automation-cancelled', at });
    });
  }

  /** The SsmApi port of one region. */
  api(target?: Partial<AwsTarget>): SsmApi {
    const region = target?.region ?? 'us-east-1';
    const account = target?.accountId ?? 'default';
    const call = <T>(op: string, fn: () => T): Promise<T> =>
      this.world.call(account, 'ssm', op, () => {
        // A regional control plane in an impaired region answers 500 (see SimWorld.impairedRegions).
        this.world.assertRegionReachable('ssm', region);
        return fn();
      });
    return {
      getParameter: (name) =>
        call('getParameter', () => {
          // AWS answers ParameterNotFound; the port's contract maps it to undefined.
          const p = this.params.get(`${region}|${name}`);
          return p && { name, value: p.value, version: p.version, lastModifiedAt: p.lastModified };
        }),
      putParameter: (input) =>
        call('putParameter', () => {
          if (!input.name || input.name.length > 2048)
            throw new SimAwsError('ValidationException', 'Parameter name must be 1-2048 characters', 400);
          if (input.value.length === 0 || input.value.length > 4096)
            throw new SimAwsError('ValidationException', 'Parameter value must be 1-4096 characters', 400);
          const k = `${region}|${input.name}`;
          const now = this.world.now();
          const p = this.params.get(k);
          const next = { value: input.value, version: (p?.version ?? 0) + 1, lastModified: now };
          this.params.set(k, next);
          this.world.record({
            service: 'ssm',
            resource: input.name,
            event: 'parameter-updated',
            at: now,
            detail: { region, version: next.version, value: input.value },
          });
          return { version: next.version };
        }),
      startAutomationExecution: (input) =>
        call('startAutomationExecution', () => {
          if (!UUID.test(input.clientToken)) {
            throw new SimAwsError(
              'ValidationException',
              `1 validation error detected: Value '${input.clientToken}' at 'clientToken' failed to satisfy constraint: a 36-character UUID`,
              400,
            );
          }
          const tokenKey = `${account}|${region}|${input.clientToken}`;
          const prior = this.byToken.get(tokenKey);
          if (prior) {
            const e = this.executions.get(prior)!;
            if (
              e.documentName !== input.documentName.replace(/^arn:.*\//, '') ||
              JSON.stringify(e.parameters) !== JSON.stringify(input.parameters)
            ) {
              throw new SimAwsError(
                'IdempotentParameterMismatch',
                `ClientToken ${input.clientToken} was already used with different parameters`,
                400,
              );
            }
            return { automationExecutionId: e.id };
          }
          const id = this.startExecution(region, input.documentName, input.parameters, input.clientToken);
          this.byToken.set(tokenKey, id);
          return { automationExecutionId: id };
        }),
      getAutomationExecution: (id) => call('getAutomationExecution', () => this.view(this.execution(region, id))),
      stopAutomationExecution: (id) =>
        call('stopAutomationExecution', () => {
          const e = this.execution(region, id);
          if (TERMINAL.has(e.status)) {
            throw new SimAwsError(
              'InvalidAutomationStatusUpdateException',
              `Automation execution ${id} is already in terminal state ${e.status}`,
              400,
            );
          }
          this.cancelExecution(id);
        }),
    };
  }

  private execution(region: string, id: string): Execution {
    const e = this.executions.get(id);
    if (!e || e.region !== region)
      throw new SimAwsError('AutomationExecutionNotFoundException', `Automation execution ${id} not found in ${region}`, 400);
    return e;
  }

  private view(e: Execution): AutomationExecution {
    return {
      automationExecutionId: e.id,
      documentName: e.documentName,
      status: e.status,
      startTime: e.startTime,
      ...(e.endTime !== undefined ? { endTime: e.endTime } : {}),
      ...(e.failureMessage !== undefined ? { failureMessage: e.failureMessage } : {}),
      outputs: {},
    };
  }
}
