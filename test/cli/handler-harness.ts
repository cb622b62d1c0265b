/** Runs a handler in-process with a captured context (so tests can inject a scripted invoke). */
import { parseCommandArgs } from '../../src/cli/args.ts';
import { COMMANDS } from '../../src/cli/commands.ts';
import type { Handler } from '../../src/cli/spec.ts';
import { isMmError } from '../../src/util/errors.ts';
import { exitCodeFor } from '../../src/cli/exit-codes.ts';

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
  let code: number;
  try {
    code = await handler(args, {
      cwd,
      env: { MM_RUN_ID: '', ...env },
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      json: args.flags.json === true,
      isTTY: false,
      command: spec,
      commands: COMMANDS,
    });
  } catch (e) {
    if (!isMmError(e)) throw e;
    err.push(e.message);
    code = exitCodeFor(e.kind);
  }
  return { code, out: out.join('\n'), err: err.join('\n'), json: () => JSON.parse(out.join('\n')) };
}

export const configToml = (checkpoints: Record<string, string>, extra = '') =>
  `[models]\ncodex_enabled = true\ngemini_enabled = true\n\n[checkpoints]\n${Object.entries(checkpoints)
    .map(([k, v]) => `${k} = "${v}"`)
    .join('\n')}\n${extra}`;
