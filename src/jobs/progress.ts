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

let sink: ProgressSink | null = null;
let state: ProgressUpdate = {};

export function setProgressSink(next: ProgressSink | null): void {
  sink = next;
  state = {};
}

export const hasProgressSink = (): boolean => sink !== null;

/** Merges the update into the current state; a new phase starts its own counts and message. */
export function progress(update: ProgressUpdate): void {
  if (!sink) return;
  const newPhase = update.phase !== undefined && update.phase !== state.phase;
  state = newPhase
    ? { phase: update.phase, model: update.model ?? state.model, ...pick(update) }
    : { ...state, ...update };
  try {
    sink(state, update);
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
