/**
 * The canary of an AZ-loss game day: the writer started before the fault (its first write is the
 * RPO baseline), read after recovery, and its undo (writer stopped, rows deleted). Deterministic
 * workflow code; not a workflow.
 */
import { isCancellation } from '@temporalio/workflow';
import type { AzLossPlan } from '../../contracts/az-loss';
import { canarySkipReason, type AzLossObserved } from '../../lib/az-loss-findings';
import { startCanary, type CanaryHandle } from '../canary';
import { failureMessage } from '../kit';
import { canaryActs } from './proxies';

/** The canary steps of one run; results land in the run's `AzLossObserved`. */
export class AzLossCanary {
  private handle?: CanaryHandle;

  constructor(
    private readonly plan: AzLossPlan,
    private readonly id: string,
    private readonly o: AzLossObserved,
  ) {}

  /** Why the canary cannot run (RPO then not measured), or undefined when it can. */
  skipReason(): string | undefined {
    const why = canarySkipReason(this.plan);
    if (why) this.o.canary = { notMeasured: why };
    return why;
  }

  /** Starts the canary writer and waits for its first committed write (the RPO baseline; a miss is a note). */
  async start(): Promise<string> {
    const p = this.plan;
    this.handle = startCanary({ runbook: p.runbookName, runId: this.id, maxDurationMs: p.recoveryTimeoutMs + 30 * 60_000 });
    const poll = { intervalMs: p.pollIntervalMs, fastIntervalMs: p.pollIntervalMs };
    this.o.canaryFirstWrite = await canaryActs.awaitCanaryWrites({ runbook: p.runbook, runId: this.id, poll, timeoutMs: 2 * 60_000 });
    return this.o.canaryFirstWrite.detail;
  }

  /** Undo of the canary: stops the writer (if started) and deletes the run's rows. */
  async stop(): Promise<void> {
    if (!this.handle) return;
    await this.handle.stop();
    const { deleted } = await canaryActs.cleanupCanary({
      runbook: this.plan.runbookName,
      runId: this.id,
      endpoint: this.plan.runbook.canary!.endpoint,
      everyMember: true,
    });
    this.o.canaryCleanup = `canary: ${deleted} row(s) of ${this.id} deleted`;
  }

  /** Stops the writer and reads which of its acked writes survived (RPO); a failed read is "not measured". */
  async read(): Promise<void> {
    const writer = await this.handle!.stop();
    if (writer.unavailableReason) {
      this.o.canary = { notMeasured: `canary writer: ${writer.unavailableReason}` };
      return;
    }
    try {
      const reader = await canaryActs.readCanary({
        runbook: this.plan.runbookName,
        runId: this.id,
        endpoint: this.plan.runbook.canary!.endpoint,
      });
      this.o.canary = { writer, reader };
    } catch (err) {
      if (isCancellation(err)) throw err;
      this.o.canary = { notMeasured: `canary read failed: ${failureMessage(err)}` };
    }
  }
}
