/**
 * `mm image generate --batch FILE`: the file read into jobs (every line checked before any
 * call, so a bad line costs nothing and writes nothing), and the jobs run one by one.
 */
import { RESOLUTIONS, type Resolution } from '../policy/route.ts';
import { isMmError, MmError } from '../util/errors.ts';
import type { ImageJob, ImageOutcome } from './image.ts';
import { assetStem } from './names.ts';

export interface BatchItem {
  line: number;
  prompt: string;
  name?: string;
  resolution?: Resolution;
}

/** One prompt per line, or JSONL objects with prompt (and optional name, resolution). Blank and # lines are skipped. */
export function parseBatch(text: string, file: string): BatchItem[] {
  const items: BatchItem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const at = `${file}:${i + 1}`;
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (!line.startsWith('{')) return void items.push({ line: i + 1, prompt: line });
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new MmError('input', `${at}: not valid JSON: ${(e as Error).message}`);
    }
    const { prompt, name, resolution, ...rest } = obj as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length)
      throw new MmError('input', `${at}: unknown key "${unknown[0]}" (a line has prompt, name and resolution)`);
    if (typeof prompt !== 'string' || !prompt.trim())
      throw new MmError('input', `${at}: "prompt" must be a non-empty string`);
    if (resolution !== undefined && !(RESOLUTIONS as readonly unknown[]).includes(resolution))
      throw new MmError('input', `${at}: "resolution" must be 1K, 2K or 4K`);
    if (name !== undefined && typeof name !== 'string') throw new MmError('input', `${at}: "name" must be a string`);
    items.push({ line: i + 1, prompt, name, resolution: resolution as Resolution | undefined });
  });
  if (items.length === 0) throw new MmError('input', `${file}: no prompts in the batch file`);
  return items;
}

/**
 * One job per item: its own name, or `<stem>-<n>`. A bad or repeated name is refused here,
 * naming its line, before any model is called.
 */
export function batchJobs(
  items: readonly BatchItem[],
  file: string,
  stem: string,
  base: Omit<ImageJob, 'prompt' | 'stem'>,
): ImageJob[] {
  const seen = new Map<string, number>();
  return items.map((item, i) => {
    const own = item.name !== undefined ? assetStem(item.name, `${file}:${item.line}: name`) : `${stem}-${i + 1}`;
    const first = seen.get(own);
    if (first !== undefined)
      throw new MmError('input', `${file}:${item.line}: name "${own}" is already used on line ${first}`);
    seen.set(own, item.line);
    return { ...base, prompt: item.prompt, stem: own, resolution: item.resolution ?? base.resolution };
  });
}

export type JobResult = { job: ImageJob; outcome: ImageOutcome } | { job: ImageJob; error: MmError };

/** A failure every later prompt would share too: it ends the batch instead of being recorded. */
const BATCH_FATAL = new Set(['usage', 'config', 'needs_confirmation', 'auth', 'budget']);

/**
 * The jobs in order. One failed prompt of a batch does not cancel the rest (its result
 * carries the error); a lone job's failure, or one every prompt would share, is thrown.
 */
export async function generateImages(
  jobs: readonly ImageJob[],
  generate: (job: ImageJob) => Promise<ImageOutcome>,
  onResult: (r: JobResult) => void = () => {},
): Promise<JobResult[]> {
  const results: JobResult[] = [];
  for (const job of jobs) {
    let result: JobResult;
    try {
      result = { job, outcome: await generate(job) };
    } catch (e) {
      if (!isMmError(e) || jobs.length === 1 || BATCH_FATAL.has(e.kind)) throw e;
      result = { job, error: e };
    }
    results.push(result);
    onResult(result);
  }
  return results;
}
