/**
 * `--background` on a long command: start it as a job (src/jobs/launch.ts) and print the
 * job id at once. The job re-runs the same argv without --background, so its output is
 * exactly what the foreground command would have printed (JSON under --json).
 */
import { isatty } from 'node:tty';
import { findConfigFile, projectRoot } from '../config/locate.ts';
import { startJob } from '../jobs/launch.ts';
import { MmError } from '../util/errors.ts';
import { readInputCapped } from '../util/read-input.ts';
import type { CommandContext, CommandSpec, ParsedArgs } from './spec.ts';
import { printJson } from './config-context.ts';

export function withoutBackground(argv: string[]): string[] {
  return argv.filter((a) => a !== '--background');
}

export async function runInBackground(
  spec: CommandSpec,
  argv: string[],
  args: ParsedArgs,
  ctx: CommandContext,
): Promise<number> {
  let stdin: string | undefined;
  // The prompt on stdin is read now: the job cannot read this process's stdin later.
  if (spec.readsStdin && typeof args.flags['prompt-file'] !== 'string') {
    if (isatty(0))
      throw new MmError('usage', `mm ${spec.name}: no prompt: pipe it on stdin or pass --prompt-file FILE`);
    stdin = readInputCapped(0, 'the prompt on stdin');
  }
  const found = findConfigFile({ cwd: ctx.cwd, explicitPath: ctx.configPath, env: ctx.env });
  const root = projectRoot(ctx.cwd, found?.path ?? null);
  const job = startJob({
    root,
    command: spec.name,
    argv: withoutBackground(argv),
    cwd: ctx.cwd,
    env: ctx.env,
    stdin,
    temp: ctx.jobTemp,
  });
  if (ctx.json) printJson(ctx, { job: job.job, state: 'running', command: `mm ${job.argv.join(' ')}`, pid: job.pid });
  else
    ctx.stdout(
      [
        `Job ${job.job} started: mm ${job.argv.join(' ')}`,
        `  status: mm jobs status ${job.job}`,
        `  wait:   mm jobs wait ${job.job}   (exits with the job's exit code)`,
        `  output: mm jobs result ${job.job}`,
      ].join('\n'),
    );
  return 0;
}
