/**
 * Non-retryable failures of a bad workflow input or runbook, naming the field.
 */
import { ApplicationFailure } from '@temporalio/common';

/** Failure type of a bad workflow input (non-retryable). */
export const INVALID_PROMOTION_INPUT = 'InvalidPromotionInput';
/** Failure type of a runbook that does not validate or cannot be promoted (non-retryable). */
export const INVALID_RUNBOOK = 'InvalidRunbook';

/** A non-retryable `InvalidPromotionInput` failure naming `field`. */
export function invalidInput(field: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: INVALID_PROMOTION_INPUT,
    message: `${field}: ${message}`,
    nonRetryable: true,
    details: [{ field }],
  });
}

/** A non-retryable `InvalidRunbook` failure naming `field`. */
export function invalidRunbook(field: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: INVALID_RUNBOOK, message: `${field}: ${message}`, nonRetryable: true, details: [{ field }] });
}
