/**
 * Temporal Schedules on the real dev server: a nightly restore-verification schedule is created
 * (overlap SKIP, short catch-up window), listed, paused and unpaused, triggered — its run starts on
 * the test worker's queue and completes against the simulated AWS — and deleted.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { startTestWorker, type TestWorker } from './helpers/worker';
import {
  createSchedule,
  deleteSchedule,
  describeSchedule,
  listSchedules,
  pauseSchedule,
  scheduleOptionsOf,
  triggerSchedule,
  unpauseSchedule,
} from '../lib/schedules';
import type { RunReport } from '../lib/measurement-types';

let w: TestWorker;
beforeAll(async () => {
  w = await startTestWorker('schedules', { scale: 600 });
});
afterAll(async () => {
  await w?.shutdown();
});

test('definitions: overlap SKIP, 10-minute catch-up, default cron and input per kind; bad requests name the field', () => {
  const o = scheduleOptionsOf({ kind: 'nightly-restore-verification', runbook: 'analytics-prod' });
  expect(o.scheduleId).toBe('gameday-nightly-restore-verification-analytics-prod');
  expect(o.spec.cronExpressions).toEqual(['0 3 * * *']);
  expect(o.policies).toMatchObject({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' });
  expect(o.action).toMatchObject({
    workflowType: 'restoreVerificationWorkflow',
    args: [{ runbook: 'analytics-prod' }],
    taskQueue: 'gameday',
  });
  expect(scheduleOptionsOf({ kind: 'orphan-sweeper' }).action).toMatchObject({ workflowType: 'orphanSweeperWorkflow', args: [{}] });
  expect(() => scheduleOptionsOf({ kind: 'backtrack-drill' })).toThrow(/runbook.*--runbook is required for backtrack-drill/s);
  expect(() => scheduleOptionsOf({ kind: 'quarterly-gameday', runbook: 'payments-prod' })).toThrow(/workflowType.*needs --workflow/s);
  expect(() => scheduleOptionsOf({ kind: 'nightly-restore-verification', runbook: 'x', cron: 'every night' })).toThrow(/5-field cron/);
});

test('a schedule created on the dev server fires when triggered and its run completes', async () => {
  const id = `gameday-test-${randomUUID().slice(0, 8)}`;
  await createSchedule(w.client, { kind: 'nightly-restore-verification', runbook: 'analytics-prod', id, taskQueue: w.taskQueue });
  try {
    // Listing goes through visibility, which is eventually consistent: ask until it shows up.
    let listed = await listSchedules(w.client);
    for (let i = 0; i < 100 && !listed.some((s) => s.id === id); i++) {
      await new Promise((r) => setTimeout(r, 200));
      listed = await listSchedules(w.client);
    }
    expect(listed.find((s) => s.id === id)).toMatchObject({
      workflowType: 'restoreVerificationWorkflow',
      cron: '0 3 * * *',
      paused: false,
    });
    await pauseSchedule(w.client, id, 'maintenance window');
    expect((await describeSchedule(w.client, id))?.state).toMatchObject({ paused: true, note: 'maintenance window' });
    await unpauseSchedule(w.client, id);
    expect((await describeSchedule(w.client, id))?.state.paused).toBe(false);

    await triggerSchedule(w.client, id);
    let workflowId: string | undefined;
    while (!workflowId) {
      const d = await describeSchedule(w.client, id);
      workflowId = d?.info.recentActions[0]?.action.workflow.workflowId;
      if (!workflowId) await new Promise((r) => setTimeout(r, 100));
    }
    expect(workflowId.startsWith(id)).toBe(true);
    const report = (await w.client.workflow.getHandle(workflowId).result()) as RunReport;
    expect(report.scenario).toBe('restore-verification');
    expect(report.outcome).toBe('completed');
    // The run carries the schedule's static summary and details (the Web UI's Summary / Details).
    const d = await w.client.workflow.getHandle(workflowId).describe();
    expect(await d.staticSummary()).toBe('Restore verification · analytics-prod · to the latest restorable time');
    expect(await d.staticDetails()).toContain(`| Started by | schedule ${id} (0 3 * * * UTC) |`);
  } finally {
    await deleteSchedule(w.client, id);
  }
  expect(await describeSchedule(w.client, id)).toBeUndefined();
});
