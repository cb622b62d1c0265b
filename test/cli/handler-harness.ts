/**
 * Runs a handler in-process with a captured context (so tests can inject a scripted invoke).
 * A throw ends as it does in `mm` itself: main's reportFailure maps it to the message and exit code.
 */
import { parseCommandArgs } from '../../src/cli/args.ts';
import { COMMANDS } from '../../src/cli/commands.ts';
import type { Handler } from '../../src/cli/spec.ts';
import { reportFailure, reportRecordFailures } from '../../src/cli/main.ts';

export interface Ran {
  code: number;
  out: string;
  err: string;
  json: () => any;
}

export async function runHandler(
  command: string,
  handler: Handler,
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Ran> {
  const spec = COMMANDS.find((c) => c.name === command)!;
  const out: string[] = [];
  const err: string[] = [];
  const args = parseCommandArgs(spec, argv, cwd);
  const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
  const json = args.flags.json === true;
  let code: number;
  try {
    code = reportRecordFailures(
      io,
      await handler(args, {
        ...io,
        cwd,
        env: { MM_RUN_ID: '', ...env },
        json,
        isTTY: false,
        command: spec,
        commands: COMMANDS,
      }),
    );
  } catch (e) {
    code = reportFailure(e, io, json);
  }
  return { code, out: out.join('\n'), err: err.join('\n'), json: () => JSON.parse(out.join('\n')) };
}

export const configToml = (checkpoints: Record<string, string>, extra = '') =>
  `[models]\ncodex_enabled = true\ngemini_enabled = true\n\n[checkpoints]\n${Object.entries(checkpoints)
    .map(([k, v]) => `${k} = "${v}"`)
    .join('\n')}\n${extra}`;
