/**
 * Reads a prompt or input file (or stdin) with a size cap: `--prompt-file /dev/zero` or a
 * runaway pipe must end with a clear error, not read until memory runs out.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { MmError } from './errors.ts';

/** Far above any model's context window; well below what hurts the machine. */
const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** Reads `path` (or fd 0 for stdin) up to `max` bytes; over that, a usage error naming `label`. */
export function readInputCapped(path: string | 0, label: string, max = MAX_INPUT_BYTES): string {
  const fd = path === 0 ? 0 : openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(1024 * 1024);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue; // a non-blocking pipe not ready yet
        if ((e as NodeJS.ErrnoException).code === 'EOF') break;
        throw e;
      }
      if (n === 0) break;
      total += n;
      if (total > max)
        throw new MmError('usage', `${label} is larger than ${max / 1024 / 1024} MiB; refusing to read more`, {
          hint: 'send a smaller excerpt (models take far less than that anyway)',
        });
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    if (path !== 0) closeSync(fd);
  }
}
