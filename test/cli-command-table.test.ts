/**
 * The CLI registers only the command a command line names (cli/command-table.ts), so a refusal
 * loads one command file: the table must name every top-level command the files register, the
 * command word is found past the global options and their values, and a command line that names
 * a command gets that command (with its options) and no other.
 */
import { buildProgram } from '../cli/main';
import { COMMAND_FILES, namedCommand, registersFor } from '../cli/command-table';
import { createCliContext } from '../cli/context';
import { createLogger } from '../lib/logger';

const ctx = createCliContext(() => createLogger({ level: 'warn' }));
const argv = (...words: string[]): string[] => ['node', 'gameday', ...words];

test('the table names exactly the top-level commands the command files register', () => {
  const registered = buildProgram(ctx)
    .commands.map((c) => c.name())
    .sort();
  expect(registered).toEqual(COMMAND_FILES.flatMap((f) => f.commands).sort());
});

test('the command word is found past global options and their values', () => {
  expect(namedCommand(argv('status', 'x', '--bogus'))).toBe('status');
  expect(namedCommand(argv('--address', '127.0.0.1:7233', '--namespace', 'status', 'validate', 'f.yaml'))).toBe('validate');
  expect(namedCommand(argv('--json', '--task-queue', 'run', 'reject', 'wf-1'))).toBe('reject');
  expect(namedCommand(argv('--help'))).toBeUndefined();
  expect(namedCommand(argv())).toBeUndefined();
  expect(namedCommand(argv('no-such-command'))).toBeUndefined();
});

test('a named command is registered alone, with its options; help and unknown words get every command', () => {
  const only = buildProgram(ctx, argv('--address', 'x:1', 'promote-region', '--runbook', 'r'));
  expect(only.commands.map((c) => c.name())).toEqual(['promote-region']);
  expect(only.commands[0]!.options.map((o) => o.long)).toEqual(expect.arrayContaining(['--runbook', '--to', '--mode']));
  expect(registersFor(argv('reject', 'wf'))).toHaveLength(1);
  expect(registersFor(argv('--help'))).toHaveLength(COMMAND_FILES.length);
  expect(registersFor(argv('no-such-command'))).toHaveLength(COMMAND_FILES.length);
});
