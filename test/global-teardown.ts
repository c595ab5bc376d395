import { stopDevServer } from '../scripts/temporal-dev';

/** Jest global teardown: stops the dev server if global setup started it. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.GAMEDAY_TEST_STARTED_TEMPORAL === '1') await stopDevServer();
}
