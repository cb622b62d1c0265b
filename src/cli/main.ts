/**
 * `mm` entry point: find the command, parse its flags, run its handler, map errors to
 * exit codes. Kept tiny: handlers load lazily, so `mm route` does not pay for providers.
 */
import pkg from '../../package.json' with { type: 'json' };
import { isMmError } from '../util/errors.ts';

const { version } = pkg;
import { parseCommandArgs } from './args.ts';
import { commandsUnder, findCommand, COMMANDS } from './commands.ts';
import type { CommandContext } from './spec.ts';
import { exitCodeFor, EXIT } from './exit-codes.ts';
import { commandHelp, commandTableJson, groupHelp, mainHelp } from './help.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { hasProgressSink, setProgressSink, stderrProgressSink } from '../jobs/progress.ts';
import { takeRecordFailures } from '../util/record-failures.ts';

export async function main(
  argv: string[],
  io: Pick<CommandContext, 'stdout' | 'stderr' | 'cwd' | 'env' | 'isTTY' | 'jobTemp'>,
): Promise<number> {
  const wantsJson = argv.includes('--json');
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
      io.stdout(mainHelp(version));
      return argv.length === 0 ? EXIT.usage : EXIT.ok;
    }
    if (argv[0] === '--version' || argv[0] === '-V') {
      io.stdout(version);
      return EXIT.ok;
    }
    if (argv[0] === 'help') {
      const rest = argv.slice(1).filter((a) => a !== '--json');
      if (wantsJson) io.stdout(JSON.stringify({ version, commands: commandTableJson() }, null, 2));
      else if (rest.length === 0) io.stdout(mainHelp(version));
      else {
        const found = findCommand(rest);
        io.stdout(found ? commandHelp(found.spec) : groupHelpOrUnknown(rest.join(' ')));
      }
      return EXIT.ok;
    }
    const found = findCommand(argv);
    if (!found) {
      const words = argv.filter((a) => !a.startsWith('-'));
      const group = words[0] ? commandsUnder(words[0]) : [];
      if (group.length > 0 && (words.length === 1 || argv.includes('--help'))) {
        io.stdout(groupHelp(words[0]!, group));
        return argv.includes('--help') ? EXIT.ok : EXIT.usage;
      }
      io.stderr(
        `mm: ${unknownCommandMessage(words.slice(0, 2).join(' '))}\nRun \`mm --help\` for the list of commands.`,
      );
      return EXIT.usage;
    }
    const { spec, rest } = found;
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(commandHelp(spec));
      return EXIT.ok;
    }
    const args = parseCommandArgs(spec, rest, io.cwd);
    const ctx = {
      ...io,
      command: spec,
      commands: COMMANDS,
      json: args.flags.json === true,
      configPath: typeof args.flags.config === 'string' ? args.flags.config : undefined,
    };
    if (args.flags.background === true)
      return await (await import('./background.ts')).runInBackground(spec, argv, args, ctx);
    // Progress lines for a person at a terminal; a background job has its own sink (src/jobs/child.ts).
    if (io.isTTY && !ctx.json && !hasProgressSink()) setProgressSink(stderrProgressSink(io.stderr));
    const handler = await spec.load();
    const code = await handler(args, ctx);
    return reportRecordFailures(io, code);
  } catch (e) {
    return reportFailure(e, io, wantsJson);
  }
}

/**
 * How a command that threw ends: an MmError becomes its message (and, under --json, an
 * error object on stdout) and the exit code for its kind; anything else is a bug and is
 * rethrown. Exported so in-process handler tests end the same way `mm` does.
 */
export function reportFailure(e: unknown, io: Pick<CommandContext, 'stdout' | 'stderr'>, wantsJson: boolean): number {
  reportRecordFailures(io, EXIT.failed);
  if (!isMmError(e)) throw e;
  const lines = [`mm: error: ${e.message}`, ...e.details.map((d) => `  ${d}`)];
  if (e.hint) lines.push(`hint: ${e.hint}`);
  io.stderr(lines.join('\n'));
  if (wantsJson)
    io.stdout(
      JSON.stringify(
        { error: { kind: e.kind, message: e.message, details: e.details, hint: e.hint ?? null } },
        null,
        2,
      ),
    );
  return exitCodeFor(e.kind);
}

/** Writes that failed after a paid answer was printed: reported last, and the exit is non-zero. */
export function reportRecordFailures(io: Pick<CommandContext, 'stderr'>, code: number): number {
  const failed = takeRecordFailures();
  for (const f of failed) io.stderr(`mm: error: ${f} (the answer above is complete)`);
  return failed.length && code === EXIT.ok ? EXIT.failed : code;
}

function groupHelpOrUnknown(name: string): string {
  const group = commandsUnder(name);
  return group.length ? groupHelp(name, group) : unknownCommandMessage(name);
}

function unknownCommandMessage(name: string): string {
  const suggestion = didYouMean(
    name,
    COMMANDS.map((c) => c.name),
  );
  return `unknown command "${name}"${suggestion ? ` (did you mean "mm ${suggestion}"?)` : ''}`;
}
