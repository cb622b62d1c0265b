/**
 * The one progress channel for long work: workflows say what they are doing
 * (`progress({ phase, model, done, total })`) without knowing who listens. In a
 * background job the job's progress.json listens (`mm jobs status` reads it); in the
 * foreground a terminal gets one line per step on stderr; under --json, in a pipe or
 * in tests, nobody does. No imports: every module may call it for free.
 */
export interface ProgressUpdate {
  /** What the work is doing now, e.g. "reviewing", "coder implementing CS-001". */
  phase?: string;
  /** The model being called. */
  model?: string;
  done?: number;
  total?: number;
  message?: string;
}

export type ProgressSink = (state: ProgressUpdate, update: ProgressUpdate) => void;

/**
 * Kept on globalThis: the fast bundle and the lazily loaded command bundles each carry
 * their own copy of this module (scripts/build.mjs), and all of them must share one sink.
 */
const channel = ((globalThis as Record<symbol, unknown>)[Symbol.for('mm.progress')] ??= {
  sink: null,
  state: {},
}) as { sink: ProgressSink | null; state: ProgressUpdate };

export function setProgressSink(next: ProgressSink | null): void {
  channel.sink = next;
  channel.state = {};
}

export const hasProgressSink = (): boolean => channel.sink !== null;

/** Merges the update into the current state; a new phase starts its own counts and message. */
export function progress(update: ProgressUpdate): void {
  const { sink, state } = channel;
  if (!sink) return;
  const newPhase = update.phase !== undefined && update.phase !== state.phase;
  channel.state = newPhase
    ? { phase: update.phase, model: update.model ?? state.model, ...pick(update) }
    : { ...state, ...update };
  try {
    sink(channel.state, update);
  } catch {
    // progress is a courtesy: a full disk or a closed terminal must not fail the work
  }
}

const pick = ({ done, total, message }: ProgressUpdate): ProgressUpdate => ({
  ...(done !== undefined ? { done } : {}),
  ...(total !== undefined ? { total } : {}),
  ...(message !== undefined ? { message } : {}),
});

/** One line per update, for a person at a terminal: "mm: [2/5] reviewing · gpt-5.2 · chunk 2". */
export function stderrProgressSink(write: (line: string) => void): ProgressSink {
  return (s, update) => {
    // A bare model change (every model call reports one) is shown with the phase it belongs to.
    if (update.phase === undefined && update.done === undefined && update.message === undefined) return;
    const count = s.total !== undefined ? `[${s.done ?? 0}/${s.total}] ` : '';
    const parts = [s.phase, s.model, update.message].filter(Boolean);
    write(`mm: ${count}${parts.join(' · ')}`);
  };
}
