import { spawn } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { DEFAULT_RUNBOOK_DIR } from '../runbooks/load';
import { createSimFromRunbookDir } from '../sim';
import { startSimServer } from '../sim/server';
async function main() {
  const sim = createSimFromRunbookDir(DEFAULT_RUNBOOK_DIR, { scale: 60 });
  const server = await startSimServer({ sim });
  const child = spawn(process.execPath, ['/work/main/node_modules/tsx/dist/cli.mjs', 'worker.ts'], { cwd: '/work/main', env: { ...process.env, GAMEDAY_AWS: 'sim', GAMEDAY_SIM_URL: server.url, GAMEDAY_TASK_QUEUE: 'dbg-q', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'inherit', 'inherit'] });
  const connection = await Connection.connect({ address: '127.0.0.1:7233' });
  const client = new Client({ connection });
  const r = await client.workflow.execute('preflightWorkflow', { taskQueue: 'dbg-q', workflowId: 'dbg-' + Date.now(), args: [{ runbook: 'payments-prod' }] });
  console.log(JSON.stringify(r).slice(0, 3000));
  console.log(sim.world.apiCalls.length);
  child.kill('SIGTERM');
  await server.close(); await connection.close(); sim.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
