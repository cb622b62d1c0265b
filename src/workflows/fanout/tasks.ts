/** Reads fan-out input: spec files (one task each) and task lists as JSON (the design's swarm fields). */
import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { z } from 'zod';
import { MmError } from '../../util/errors.ts';
import { COMPLEXITIES, type FanoutTask } from './types.ts';

const taskSchema = z.object({
  prompt: z.string().min(1),
  label: z.string().min(1).optional(),
  complexity: z.enum(COMPLEXITIES).optional(),
  model: z.string().min(1).optional(),
  system_prompt: z.string().optional(),
  temperature: z.number().optional(),
  max_tokens: z.number().int().positive().optional(),
});
const tasksFileSchema = z.union([z.array(taskSchema), z.object({ tasks: z.array(taskSchema) })]);

function read(path: string, cwd: string, what: string): string {
  try {
    return readFileSync(resolve(cwd, path), 'utf8');
  } catch (e) {
    throw new MmError(
      'input',
      `${what} ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
}

export function specTask(path: string, cwd: string): FanoutTask {
  const prompt = read(path, cwd, '--spec');
  if (!prompt.trim()) throw new MmError('input', `--spec ${path} is empty`);
  return { prompt, label: basename(path, extname(path)) };
}

export function loadTasks(path: string, cwd: string): FanoutTask[] {
  let data: unknown;
  try {
    data = JSON.parse(read(path, cwd, '--tasks'));
  } catch (e) {
    if (e instanceof MmError) throw e;
    throw new MmError('input', `--tasks ${path} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = tasksFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new MmError('input', `--tasks ${path} is not a task list`, {
      details: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`),
      hint: 'expected [{"prompt": "…", "label": "…", "complexity": "trivial|simple|medium|complex|expert", "model": "…"}]',
    });
  }
  return Array.isArray(parsed.data) ? parsed.data : parsed.data.tasks;
}
