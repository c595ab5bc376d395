/**
 * `gameday`: the command-line entry (bin/gameday.js). Talks to Temporal only.
 * Exit codes: 0 success, 1 the run failed, 2 bad input or usage (including Temporal connection
 * settings that do not work: a missing certificate file, a refused handshake, an unreachable address).
 * Each command lives in `cli/commands/<name>.ts` and exports `register(program, ctx)`;
 * adding a command is one line in `COMMAND_FILES` of `cli/command-table.ts` (a command line loads
 * only the file of the command it names; keep heavy imports inside actions).
 */
import { Command, Option } from 'commander';
import type { Logger } from '../lib/logger';
import { defaultTaskQueue } from './client';
import { namedCommand, registersFor } from './command-table';
import { createCliContext, type CliContext } from './context';
import { checkArguments, errorExit } from './error-exit';
import { EXIT, resultState } from './output';

/**
 * Registers the commands on `program`: only the one `argv` names (so a refusal loads one command
 * file's imports, `cli/command-table.ts`), else every command. `argv` absent = every command.
 */
function registerCommands(program: Command, ctx: CliContext, argv?: readonly string[]): void {
  for (const register of registersFor(argv)) register(program, ctx);
}

/** Builds the commander program with its global options and the commands `argv` needs (default: all). */
export function buildProgram(ctx: CliContext, argv?: readonly string[]): Command {
  const program = new Command('gameday')
    .description('Chaos-engineering and DR playbooks for AWS on Temporal: run them, watch them, and read their measured RTO/RPO.')
    .addOption(
      new Option('--address <host:port>', 'Temporal frontend address (default: TEMPORAL_ADDRESS, the profile, else 127.0.0.1:7233)'),
    )
    .addOption(new Option('--namespace <name>', 'Temporal namespace (default: TEMPORAL_NAMESPACE, the profile, else default)'))
    .addOption(new Option('--profile <name>', 'profile of the Temporal config file (default: TEMPORAL_PROFILE, else default)'))
    .addOption(
      new Option(
        '--config-file <path>',
        'Temporal config file, TOML (default: TEMPORAL_CONFIG_FILE, else ~/.config/temporalio/temporal.toml)',
      ),
    )
    .addOption(new Option('--task-queue <name>', 'task queue of the gameday workers').default(defaultTaskQueue()).env('GAMEDAY_TASK_QUEUE'))
    .option('--json', 'machine-readable output on stdout', false)
    .option('--debug', 'on an error, also print its stack trace on stderr', false)
    .exitOverride()
    // Parse errors are printed once, as one line, by `run` (cli/error-exit.ts).
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s), outputError: () => undefined })
    .hook('preAction', (_program, action) => checkArguments(action));
  registerCommands(program, ctx, argv);
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const cmd of all(program)) cmd.exitOverride();
  return program;
}

/** Runs the CLI with `argv` (node-style, including the two leading entries); returns the exit code. */
export async function run(argv: readonly string[] = process.argv): Promise<number> {
  // The logger (pino) is created when a command first logs, not for a refusal.
  const logger = (): Logger => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createLogger } = require('../lib/logger') as typeof import('../lib/logger');
    return createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'gameday-cli' });
  };
  const ctx = createCliContext(logger);
  const program = buildProgram(ctx, argv);
  resultState.written = false;
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    // The one error path of every command: exit code, one line, JSON with --json, stack with --debug.
    const words = argv.slice(2);
    const { exitCode, message } = errorExit(err, namedCommand(argv) ?? words.find((w) => !w.startsWith('-')));
    if (exitCode === EXIT.ok) return exitCode;
    if (words.includes('--debug')) process.stderr.write(`${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
    if (words.includes('--json') && !resultState.written)
      process.stdout.write(`${JSON.stringify({ ok: false, exitCode, error: message })}\n`);
    process.stderr.write(`gameday: ${message}\n`);
    return exitCode;
  } finally {
    await ctx.close();
  }
}

if (require.main === module) {
  run().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`gameday: ${errorExit(err).message}\n`);
      process.exit(errorExit(err).exitCode);
    },
  );
}
