/**
 * Process entry for the pack's Stop hook (dist/hook-stop.js, run by
 * scripts/hooks/stop-review.cjs). It skips the CLI's command table, so the
 * common "nothing to do" case costs little more than starting Node.
 */
import { readStdin, runStopHook } from './stop-hook.ts';

const at = process.argv.indexOf('--max-rounds');
const maxRounds = at !== -1 ? Number.parseInt(process.argv[at + 1] ?? '', 10) : undefined;

readStdin()
  .then((stdin) => runStopHook(stdin, process.env, process.cwd(), Number.isFinite(maxRounds) ? maxRounds : undefined))
  .then(
    (out) => {
      if (out.stdout) process.stdout.write(`${out.stdout}\n`);
      process.exitCode = out.code;
    },
    (e: unknown) => {
      // Fail open: a broken hook must never stop Claude from stopping.
      process.stdout.write(
        `${JSON.stringify({ systemMessage: `mm hook stop failed: ${(e as Error)?.message ?? String(e)} (the stop was NOT blocked, and this is NOT a pass)` })}\n`,
      );
      process.exitCode = 0;
    },
  );
