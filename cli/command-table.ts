/**
 * Which file registers each top-level command, loaded only when needed: `cli/main.ts` registers
 * just the command a command line names (its options are all commander needs to refuse bad usage),
 * so a refusal does not first load every other command's imports (the Temporal client, zod schemas,
 * the FIS catalog, …). Help, no command or an unknown one register them all.
 *
 * The loaders `require` rather than `import()`: `bin/gameday.js` runs the sources through
 * `tsx/cjs`, which hooks `require` only (an `import()` of a `.ts` file reaches Node's ESM loader).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { Command } from 'commander';
import type { CliContext } from './context';

/** A command file's `register(program, ctx)`. */
export type Register = (program: Command, ctx: CliContext) => void;

/** The command files in help order: the top-level commands each registers, and a loader of its `register`. */
export const COMMAND_FILES: readonly { readonly commands: readonly string[]; readonly load: () => Register }[] = [
  { commands: ['fis'], load: () => (require('./commands/fis') as typeof import('./commands/fis')).register },
  { commands: ['run'], load: () => (require('./commands/run') as typeof import('./commands/run')).register },
  { commands: ['validate'], load: () => (require('./commands/validate') as typeof import('./commands/validate')).register },
  { commands: ['start'], load: () => (require('./commands/start') as typeof import('./commands/start')).register },
  { commands: ['status'], load: () => (require('./commands/status') as typeof import('./commands/status')).register },
  { commands: ['abort'], load: () => (require('./commands/abort') as typeof import('./commands/abort')).register },
  { commands: ['runs'], load: () => (require('./commands/runs') as typeof import('./commands/runs')).register },
  { commands: ['report'], load: () => (require('./commands/report') as typeof import('./commands/report')).register },
  { commands: ['history'], load: () => (require('./commands/history') as typeof import('./commands/history')).register },
  { commands: ['schedule'], load: () => (require('./commands/schedule') as typeof import('./commands/schedule')).register },
  {
    commands: ['verify-restore'],
    load: () => (require('./commands/verify-restore') as typeof import('./commands/verify-restore')).register,
  },
  {
    commands: ['backtrack-drill'],
    load: () => (require('./commands/backtrack-drill') as typeof import('./commands/backtrack-drill')).register,
  },
  {
    commands: ['promote-region'],
    load: () => (require('./commands/promote-region') as typeof import('./commands/promote-region')).register,
  },
  { commands: ['approve', 'reject'], load: () => (require('./commands/approve') as typeof import('./commands/approve')).register },
  { commands: ['iam-policy'], load: () => (require('./commands/iam-policy') as typeof import('./commands/iam-policy')).register },
  { commands: ['game-day'], load: () => (require('./commands/game-day') as typeof import('./commands/game-day')).register },
  { commands: ['evidence'], load: () => (require('./commands/evidence') as typeof import('./commands/evidence')).register },
];

/**
 * The `register` functions a command line needs: only the file of the command `argv` (node-style,
 * two leading entries) names, else (help, no command, an unknown word) every file's.
 */
export function registersFor(argv: readonly string[] | undefined): Register[] {
  const named = argv && namedCommand(argv);
  const files = named ? COMMAND_FILES.filter((f) => f.commands.includes(named)) : COMMAND_FILES;
  return files.map((f) => f.load());
}

/** Global options that take a value (`--address X`): their value is not the command word. */
const GLOBAL_VALUE_OPTIONS = new Set(['--address', '--namespace', '--profile', '--config-file', '--task-queue']);

/**
 * The top-level command `argv` (node-style, two leading entries) names, when one of
 * {@link COMMAND_FILES} registers it; undefined for help, no command or an unknown word.
 */
export function namedCommand(argv: readonly string[]): string | undefined {
  const words = argv.slice(2);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') return undefined;
    if (GLOBAL_VALUE_OPTIONS.has(w)) {
      i++; // its value
      continue;
    }
    if (w.startsWith('-')) continue;
    return COMMAND_FILES.some((f) => f.commands.includes(w)) ? w : undefined;
  }
  return undefined;
}
