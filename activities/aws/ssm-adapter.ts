/**
 * `SsmApi` over `@aws-sdk/client-ssm`: Parameter Store (a missing parameter is `undefined`, not
 * an error) and Automation executions. `StartAutomationExecution` has no SDK-filled token, so the
 * caller's deterministic `clientToken` (a UUID) is always sent (aws-dr-api.md §0.5).
 */
import {
  GetAutomationExecutionCommand,
  GetParameterCommand,
  PutParameterCommand,
  StartAutomationExecutionCommand,
  StopAutomationExecutionCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { AutomationExecution, SsmApi } from './ports';

/** Thrown when SSM answers without a field the port requires. */
export class SsmResponseShapeError extends Error {
  override readonly name = 'SsmResponseShapeError';
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === null) throw new SsmResponseShapeError(`SSM response lacks ${what}`);
  return value;
}

/** Builds the SSM port bound to `client`. */
export function createSsmAdapter(client: SSMClient): SsmApi {
  return {
    async getParameter(name) {
      try {
        const r = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
        const p = required(r.Parameter, 'GetParameter.Parameter');
        return {
          name: p.Name ?? name,
          value: p.Value ?? '',
          version: p.Version ?? 0,
          ...(p.LastModifiedDate !== undefined ? { lastModifiedAt: p.LastModifiedDate.getTime() } : {}),
        };
      } catch (err) {
        if ((err as { name?: unknown }).name === 'ParameterNotFound') return undefined;
        throw err;
      }
    },

    async putParameter({ name, value, overwrite }) {
      const r = await client.send(new PutParameterCommand({ Name: name, Value: value, Overwrite: overwrite, Type: 'String' }));
      return { version: required(r.Version, 'PutParameter.Version') };
    },

    async startAutomationExecution({ documentName, parameters, clientToken }) {
      const r = await client.send(
        new StartAutomationExecutionCommand({
          DocumentName: documentName,
          Parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, [...v]])),
          ClientToken: clientToken,
        }),
      );
      return { automationExecutionId: required(r.AutomationExecutionId, 'StartAutomationExecution.AutomationExecutionId') };
    },

    async getAutomationExecution(automationExecutionId): Promise<AutomationExecution> {
      const r = await client.send(new GetAutomationExecutionCommand({ AutomationExecutionId: automationExecutionId }));
      const x = required(r.AutomationExecution, 'GetAutomationExecution.AutomationExecution');
      return {
        automationExecutionId: x.AutomationExecutionId ?? automationExecutionId,
        documentName: x.DocumentName ?? '',
        status: x.AutomationExecutionStatus ?? 'unknown',
        ...(x.FailureMessage !== undefined ? { failureMessage: x.FailureMessage } : {}),
        ...(x.ExecutionStartTime !== undefined ? { startTime: x.ExecutionStartTime.getTime() } : {}),
        ...(x.ExecutionEndTime !== undefined ? { endTime: x.ExecutionEndTime.getTime() } : {}),
        ...(x.Outputs !== undefined ? { outputs: x.Outputs } : {}),
      };
    },

    async stopAutomationExecution(automationExecutionId) {
      await client.send(new StopAutomationExecutionCommand({ AutomationExecutionId: automationExecutionId, Type: 'Cancel' }));
    },
  };
}
