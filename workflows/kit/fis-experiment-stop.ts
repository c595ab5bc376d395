/**
 * Stopping a playbook's FIS experiment, the undo of every scenario that injects a fault through
 * FIS: the stop reads first (harmless twice); when it fails, the run fails loudly with
 * `FisExperimentNotStopped`, naming the experiment and the command that stops it by hand.
 */
import { ApplicationFailure, isCancellation } from '@temporalio/workflow';
import { failureMessage } from './failure';

/**
 * Runs `stop` for `experimentId` in `region`. A failure (not a cancellation) is handed to
 * `onFailure` as the sentence the report shows, then thrown as a non-retryable
 * `FisExperimentNotStopped`.
 */
export async function stopFisExperimentOrFail<T>(
  stop: () => Promise<T>,
  experimentId: string,
  region: string,
  onFailure: (message: string) => void,
): Promise<T> {
  try {
    return await stop();
  } catch (err) {
    if (isCancellation(err)) throw err;
    const how = `aws fis stop-experiment --id ${experimentId} --region ${region}`;
    const message = `FIS experiment ${experimentId} could not be stopped: ${failureMessage(err)}; stop it by hand: ${how}`;
    onFailure(message);
    throw ApplicationFailure.create({ type: 'FisExperimentNotStopped', message, nonRetryable: true });
  }
}
