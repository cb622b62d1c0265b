import { describe, expect, it } from 'vitest';
import { createKeyedLimiter, createLimiter } from '../../src/workflows/fanout/limiter.ts';

/** A task that waits until released by the test, so order is observed without timers. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('fan-out limiter', () => {
  it('starts queued tasks in the order they were queued', async () => {
    const limit = createLimiter(1);
    const started: number[] = [];
    const first = gate();
    const all = [0, 1, 2, 3].map((i) =>
      limit(async () => {
        started.push(i);
        if (i === 0) await first.opened;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0]);
    first.open();
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('a task that throws synchronously rejects its own promise and the queued tasks still run', async () => {
    const limit = createLimiter(1);
    const boom = limit((() => {
      throw new Error('sync boom');
    }) as () => Promise<never>);
    const after = limit(async () => 'ran');
    await expect(boom).rejects.toThrow('sync boom');
    await expect(after).resolves.toBe('ran');
  });

  it('a rejected task frees its slot', async () => {
    const limit = createLimiter(1);
    const failed = limit(async () => Promise.reject(new Error('no')));
    const next = limit(async () => 'next');
    await expect(failed).rejects.toThrow('no');
    await expect(next).resolves.toBe('next');
  });

  it('keyed limiters are independent per key and created once', () => {
    const asked: string[] = [];
    const byKey = createKeyedLimiter((k) => (asked.push(k), 1));
    expect(byKey('codex')).toBe(byKey('codex'));
    expect(byKey('gemini')).not.toBe(byKey('codex'));
    expect(asked).toEqual(['codex', 'gemini']);
  });

  it('refuses a concurrency below 1', () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
  });
});
