/**
 * A concurrency limiter (what p-limit does, in a few lines): at most `max` tasks run at
 * once, the rest wait in order. Written here rather than added as a dependency because
 * it is this small and every branch of the project edits the same lockfile.
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(max: number): Limiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be a whole number ≥ 1 (got ${max})`);
  let active = 0;
  const waiting: Array<() => void> = [];
  const next = () => {
    active--;
    waiting.shift()?.();
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        active++;
        task().then(resolve, reject).finally(next);
      };
      if (active < max) start();
      else waiting.push(start);
    });
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
