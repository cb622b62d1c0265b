/**
 * Concurrency limits for fan-out: p-limit per key (e.g. per provider). p-limit rather than
 * a hand-written queue because a task that throws synchronously must still release its slot
 * and let the queued tasks run.
 */
import pLimit from 'p-limit';

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(max: number): Limiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be a whole number ≥ 1 (got ${max})`);
  const limit = pLimit(max);
  return (task) => limit(task);
}

/** One limiter per key (e.g. per provider), created on first use with `limitFor(key)`. */
export function createKeyedLimiter(limitFor: (key: string) => number): (key: string) => Limiter {
  const limiters = new Map<string, Limiter>();
  return (key) => {
    let limiter = limiters.get(key);
    if (!limiter) {
      limiter = createLimiter(limitFor(key));
      limiters.set(key, limiter);
    }
    return limiter;
  };
}
