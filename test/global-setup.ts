// CLI tests spawn the built `mm` (dist/), as users run it: build once before the run
// (`npm test` builds first and says so with MM_TEST_BUILT=1).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  if (process.env.MM_TEST_BUILT === '1') return;
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], {
    stdio: 'inherit',
  });
}
