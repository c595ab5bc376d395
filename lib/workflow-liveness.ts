/**
 * The orphan sweeper's question to Temporal, "is the run that owns this resource still open?",
 * answered with DescribeWorkflowExecution through a client the composition root gives the
 * activities (same connection settings and data converter as the worker).
 */
import { Client, Connection } from '@temporalio/client';
import { WorkflowNotFoundError, type DataConverter } from '@temporalio/common';
import type { WorkflowLiveness, WorkflowState } from '../activities/deps';
import { connectTemporal, type TemporalConnection } from './temporal-connection';

/** A liveness port plus how to release its connection. */
export interface TemporalLiveness extends WorkflowLiveness {
  close(): Promise<void>;
}

/** Open = RUNNING or PAUSED (and anything Temporal cannot name: when unsure, the owner is alive). */
const CLOSED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT', 'CONTINUED_AS_NEW']);

/** Connects lazily (on the first question) with `temporal`'s settings. */
export function temporalLiveness(temporal: TemporalConnection, dataConverter?: DataConverter): TemporalLiveness {
  let connecting: Promise<{ client: Client; connection: Connection }> | undefined;
  const connect = () =>
    (connecting ??= connectTemporal(temporal, (o) => Connection.connect({ ...o, connectTimeout: '10s' })).then((connection) => ({
      connection,
      client: new Client({ connection, namespace: temporal.namespace, ...(dataConverter ? { dataConverter } : {}) }),
    })));
  const describe = async (workflowId: string, runId?: string): Promise<WorkflowState> => {
    const { client } = await connect();
    try {
      const d = await client.workflow.getHandle(workflowId, runId).describe();
      if (d.status.name === 'CONTINUED_AS_NEW' && runId !== undefined) return describe(workflowId); // its successor owns it now
      return CLOSED.has(d.status.name) ? 'closed' : 'open';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'not-found';
      throw err;
    }
  };
  return {
    state: describe,
    close: async () => {
      if (connecting) await (await connecting).connection.close();
    },
  };
}
