/** Process wiring for the `mm` binary: streams, exit code, last-resort error report. */
// First: its body starts git for `mm check` before the modules below are evaluated.
import './early.ts';
import { EXIT } from './exit-codes.ts';
import { main } from './main.ts';
import { startJobProcess } from '../jobs/child.ts';

// A closed pipe (mm … | head) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});
// A background job's own process (src/jobs/launch.ts): progress and exit code go to its folder.
if (process.env.MM_JOB_DIR) startJobProcess(process.env.MM_JOB_DIR);
main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const err = e as Error;
    process.stderr.write(
      `mm: internal error: ${err?.message ?? String(e)}\n${process.env.MM_DEBUG ? `${err?.stack}\n` : 'Set MM_DEBUG=1 for the stack trace, and please report it.\n'}`,
    );
    process.exitCode = EXIT.failed;
  },
);
