import { stopDevServer } from '../scripts/temporal-dev';

export default async function globalTeardown(): Promise<void> {
  if (process.env.GAMEDAY_TEST_STARTED_TEMPORAL === '1') await stopDevServer();
}
