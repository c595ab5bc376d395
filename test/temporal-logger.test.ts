/**
 * Temporal's logs through pino: levels kept, metadata as fields, and the budget-queue workers'
 * expected "No workflows registered" at DEBUG (a warning on any other queue stays a warning).
 */
import { createLogger } from '../lib/logger';
import { PinoTemporalLogger } from '../lib/temporal-logger';

function capture(): { lines: Record<string, unknown>[]; logger: PinoTemporalLogger } {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) };
  return { lines, logger: new PinoTemporalLogger(createLogger({ level: 'debug', destination })) };
}

test.each([
  ['gameday-aws-111122223333-us-east-1', 20],
  ['test-rv-abort-d14a5e3c-aws-default-eu-west-1', 20],
  ['gameday', 40],
  ['payments-aws', 40],
])('"No workflows registered" on %s is logged at level %s', (taskQueue, level) => {
  const { lines, logger } = capture();
  logger.warn('No workflows registered, not polling for workflow tasks', { sdkComponent: 'worker', taskQueue });
  expect(lines).toEqual([expect.objectContaining({ level, taskQueue, temporal: true })]);
});

test('other warnings keep their level and fields; an error goes under err', () => {
  const { lines, logger } = capture();
  logger.warn('Activity failed', { activityType: 'startBacktrack', error: new Error('boom') });
  expect(lines[0]).toMatchObject({ level: 40, activityType: 'startBacktrack', err: { message: 'boom' }, msg: 'Activity failed' });
});
