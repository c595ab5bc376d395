/**
 * Routes Temporal's runtime, worker, workflow and activity logs to the process's pino logger
 * (`Runtime.install({ logger: new PinoTemporalLogger(root) })`), so there is one log stream with
 * one redaction policy. Temporal's metadata (workflowId, activityType, …) becomes pino bindings.
 */
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from './logger';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Adapter from pino to Temporal's `Logger` interface. */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly pino: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const method = isExpected(message, meta) ? 'debug' : (LEVELS[level] ?? 'info');
    const fields = meta ? toFields(meta) : {};
    this.pino[method]({ ...fields, temporal: true }, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/**
 * A warning that describes the design, not a problem: the AWS budget-queue workers
 * (`lib/budget-workers.ts`) run activities only, so Temporal's "No workflows registered" on their
 * queues is expected (logged at DEBUG).
 */
function isExpected(message: string, meta?: LogMetadata): boolean {
  const queue = meta?.['taskQueue'];
  return message.startsWith('No workflows registered') && typeof queue === 'string' && /-aws-[^-]+-[a-z0-9-]+$/.test(queue);
}

/** Copies string-keyed metadata; an `error`/`failure` value goes under pino's `err` key. */
function toFields(meta: LogMetadata): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) {
    if ((k === 'error' || k === 'failure') && v instanceof Error) out.err = v;
    else out[k] = v;
  }
  return out;
}
