/**
 * One pino root logger per process, with redaction of secrets. Child loggers carry run context
 * (`runId`, `runbook`). Logs go to stderr so that CLI stdout stays for results and `--json`.
 */
import pino, { type Logger } from 'pino';

/** Field names whose values never reach a log line, at any depth up to 4. */
const SECRET_KEYS = [
  'password',
  'secret',
  'secretString',
  'SecretString',
  'sessionToken',
  'SessionToken',
  'secretAccessKey',
  'SecretAccessKey',
  'accessKeyId',
  'AccessKeyId',
  'credentials',
  'Credentials',
  'authorization',
  'Authorization',
];

/** pino redaction paths: every secret key at the top level and up to three levels down. */
export const REDACT_PATHS: string[] = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

/** Creates the process's root pino logger (stderr, secrets redacted, `err` serializer). */
export function createLogger(opts: { level?: string; name?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      name: opts.name ?? 'gameday',
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    opts.destination ?? pino.destination(2),
  );
}

export type { Logger };
