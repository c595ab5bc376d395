/**
 * Jest global setup: the real Temporal dev server through the project's own bootstrap (never a
 * mock). A server already listening is reused; one started here is stopped in global-teardown.
 */
import { ensureDevServer } from '../scripts/temporal-dev';

/** Jest global setup: starts or reuses the Temporal dev server and publishes its address. */
export default async function globalSetup(): Promise<void> {
  const server = await ensureDevServer();
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.GAMEDAY_TEST_STARTED_TEMPORAL = server.reused ? '' : '1';
}
