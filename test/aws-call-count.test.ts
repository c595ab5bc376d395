/**
 * The AWS-calls figure of a report (`lib/aws-call-count.ts`): exact, a lower bound that says so,
 * or "not counted"; a game day's sum of its children; the failure detail an activity appends.
 * The end-to-end comparison with the sim's API log is `aws-calls-per-run.test.ts`.
 */
import { ApplicationFailure } from '@temporalio/common';
import { awsCallsDetail, awsCallsFields, isMetered, meteredFailureCalls, sumAwsCalls } from '../lib/aws-call-count';
import { awsCallsText } from '../lib/report/format';

test('a tally is exact, a lower bound, or not counted (a run from before counting)', () => {
  expect(awsCallsFields({ calls: 12, counted: 5, uncounted: 0 })).toEqual({ awsCalls: 12 });
  expect(awsCallsFields({ calls: 12, counted: 5, uncounted: 2 })).toEqual({ awsCalls: 12, awsCallsUncounted: 2 });
  expect(awsCallsFields({ calls: 0, counted: 0, uncounted: 7 })).toEqual({});
  expect(awsCallsFields(undefined)).toEqual({});
  expect(awsCallsText({ awsCalls: 12 })).toBe('12 AWS API calls');
  expect(awsCallsText({ awsCalls: 12, awsCallsUncounted: 1 })).toMatch(
    /^at least 12 AWS API calls \(1 activity execution with calls unknown/,
  );
  expect(awsCallsText({})).toBe('AWS API calls not counted');
});

test("a game day's sum: a child without a count makes it a lower bound, no count at all is none", () => {
  expect(sumAwsCalls([{ awsCalls: 3 }, { awsCalls: 4, awsCallsUncounted: 1 }])).toEqual({ awsCalls: 7, awsCallsUncounted: 1 });
  expect(sumAwsCalls([{ awsCalls: 3 }, undefined, {}])).toEqual({ awsCalls: 3, awsCallsUncounted: 2 });
  expect(sumAwsCalls([undefined])).toEqual({});
});

test("an activity's calls travel as the last detail of its failure, and as a result envelope", () => {
  const f = ApplicationFailure.create({ type: 'X', message: 'm', details: [{ report: 1 }, awsCallsDetail({ calls: 4, complete: true })] });
  expect(meteredFailureCalls(f.details)).toEqual({ calls: 4, complete: true });
  expect(meteredFailureCalls([{ report: 1 }])).toBeUndefined();
  expect(meteredFailureCalls(undefined)).toBeUndefined();
  expect(isMetered({ __gamedayActivityAwsCalls: { calls: 0, complete: false } })).toBe(true);
  expect(isMetered({ calls: 1 })).toBe(false);
  expect(isMetered(undefined)).toBe(false);
});
