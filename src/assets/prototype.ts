/**
 * `mm prototype` (design §5.4, explicit request only): Gemini builds an MVP of a feature
 * from a few targeted files (not the whole repository). The result lands in a scratch
 * folder with a patch against the project, for Claude to refine; the project is untouched.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import { git } from '../git/git.ts';
import type { Registry } from '../registry/registry.ts';
import { writeFileNoClobber } from '../util/atomic-write.ts';
import { MmError } from '../util/errors.ts';
import { extractFiles, FILE_BLOCK_INSTRUCTION } from './code-blocks.ts';
import { estimateCost } from './cost.ts';
import type { GeminiClient } from './gemini-client.ts';
import { isInside } from './layout.ts';
import { scratchDir, writeScratchFiles } from './scratch.ts';
import { statusOf, type AssetServices } from './services.ts';
import { fillTemplate } from '../util/template.ts';
import fileTemplate from './prompts/prototype-file.md';
import patternsTemplate from './prompts/prototype-patterns.md';
import stackFromFilesTemplate from './prompts/prototype-stack-files.md';
import stackTemplate from './prompts/prototype-stack.md';
import prototypeTemplate from './prompts/prototype.md';

/** Targeted context, not "dump and pray" (§5.4): a hard cap on what is sent. */
const MAX_CONTEXT_BYTES = 400_000;

export interface PrototypeRequest {
  feature: string;
  files: string[];
  stack?: string;
  model?: string;
  cwd: string;
}

export interface PrototypeDeps {
  projectRoot: string;
  config: Config;
  registry: Registry;
  gemini: GeminiClient;
  services: AssetServices;
}

export interface PrototypeOutcome {
  scratch: string;
  files: Array<{ path: string; status: 'new' | 'modified' }>;
  patch: string | null;
  refused: Array<{ path: string; reason: string }>;
  withheld: string[];
}

function readContextFiles(files: string[], cwd: string, projectRoot: string): Array<{ path: string; content: string }> {
  let total = 0;
  return files.map((file) => {
    const abs = resolve(cwd, file);
    if (!isInside(projectRoot, abs)) throw new MmError('input', `--file ${file}: outside the project (${projectRoot})`);
    if (!existsSync(abs) || !statSync(abs).isFile()) throw new MmError('input', `--file ${file}: no such file`);
    const content = readFileSync(abs, 'utf8');
    total += Buffer.byteLength(content);
    if (total > MAX_CONTEXT_BYTES)
      throw new MmError('input', `--file: more than ${MAX_CONTEXT_BYTES / 1000} KB of context`, {
        hint: 'pass the few files the feature touches, not the whole tree',
      });
    return { path: relative(projectRoot, abs).split('\\').join('/'), content };
  });
}

export function prototypePrompt(
  req: { feature: string; stack?: string },
  context: Array<{ path: string; content: string }>,
): string {
  return fillTemplate(prototypeTemplate, {
    feature: req.feature,
    stack: req.stack ? fillTemplate(stackTemplate, { stack: req.stack }) : fillTemplate(stackFromFilesTemplate),
    patterns: context.length ? fillTemplate(patternsTemplate, { paths: context.map((c) => c.path).join(', ') }) : '',
    fileBlocks: FILE_BLOCK_INSTRUCTION,
    files: context.map((c) => fillTemplate(fileTemplate, { path: c.path, content: c.content })).join('\n'),
  });
}

export async function buildPrototype(req: PrototypeRequest, deps: PrototypeDeps): Promise<PrototypeOutcome> {
  const entry = deps.registry.get(req.model ?? deps.config.models.gemini.default_model, '--model');
  if (entry.integration !== 'gemini')
    throw new MmError('usage', `${entry.id} is not a Gemini model`, {
      hint: 'mm prototype uses the Gemini API, e.g. --model gemini-3.1-pro',
    });
  // Secret paths (.env, keys, …) are withheld unread; the rest, prompt included, goes through the guard.
  const sendable = deps.services.guardFiles(
    req.files.map((f) => relative(deps.projectRoot, resolve(req.cwd, f)).split('\\').join('/')),
  );
  const context = readContextFiles(sendable.kept, deps.projectRoot, deps.projectRoot);
  const guarded = deps.services.guardPrompt(prototypePrompt(req, context));
  guarded.withheld.unshift(...sendable.withheld);
  deps.services.checkBudget(entry, null, guarded.text);
  const started = Date.now();
  const wire = entry.wire_model ?? entry.id;
  let reply;
  try {
    reply = await deps.gemini.generate({
      model: wire,
      parts: [{ text: guarded.text }],
      modalities: ['TEXT'],
      maxOutputTokens: deps.config.models.gemini.max_output_tokens,
    });
  } catch (e) {
    deps.services.recordUsage({
      ts: new Date().toISOString(),
      task: 'prototype',
      provider: entry.integration,
      model: entry.id,
      status: statusOf(e),
      latency_ms: Date.now() - started,
      cost_usd: null,
      request_id: null,
      asset: null,
      error: (e as Error).message,
    });
    throw e;
  }
  const { files, refused } = extractFiles(reply.text);
  if (files.length === 0)
    throw new MmError(
      reply.finishReason === 'MAX_TOKENS' ? 'truncated' : 'invalid_output',
      `${entry.id} returned no files${reply.finishReason ? ` (finish reason ${reply.finishReason})` : ''}`,
    );
  const scratch = scratchDir(deps.projectRoot, 'prototype');
  const filesDir = join(scratch.dir, 'files');
  writeScratchFiles(filesDir, files);
  const listed = files.map((f) => ({
    path: f.path,
    status: existsSync(join(deps.projectRoot, f.path)) ? ('modified' as const) : ('new' as const),
  }));
  const patch = await patchAgainstProject(
    deps.projectRoot,
    filesDir,
    listed.map((f) => f.path),
  );
  if (patch) writeFileNoClobber(join(scratch.dir, 'changes.patch'), patch);
  writeFileNoClobber(join(scratch.dir, 'REPLY.md'), reply.text);
  writeFileNoClobber(
    join(scratch.dir, 'README.md'),
    [
      `# Prototype: ${req.feature}`,
      '',
      `Generated by ${entry.id}${reply.requestId ? ` (request ${reply.requestId})` : ''} from ${context.length} file(s). Not applied: refine it to the project's conventions first.`,
      patch
        ? `Patch against the project: ${relative(deps.projectRoot, join(scratch.dir, 'changes.patch'))} (from the project root: \`git apply --check\` it, then \`git apply\` once refined).`
        : '',
      '',
      ...listed.map((f) => `- ${f.status}: ${f.path}`),
      ...refused.map((r) => `- refused ${r.path}: ${r.reason}`),
      '',
    ].join('\n'),
  );
  const cost = estimateCost(entry, { inputTokens: reply.inputTokens, outputTokens: reply.outputTokens });
  deps.services.recordUsage({
    ts: new Date().toISOString(),
    task: 'prototype',
    provider: entry.integration,
    model: entry.id,
    status: 'ok',
    latency_ms: Date.now() - started,
    cost_usd: cost,
    request_id: reply.requestId,
    asset: null,
    tokens: { input: reply.inputTokens, output: reply.outputTokens },
  });
  return {
    scratch: scratch.dir,
    files: listed,
    patch: patch ? join(scratch.dir, 'changes.patch') : null,
    refused,
    withheld: guarded.withheld,
  };
}

/** A unified diff from the project's files to the scratch copies, with project-relative paths. */
async function patchAgainstProject(projectRoot: string, filesDir: string, paths: string[]): Promise<string | null> {
  const prefix = relative(projectRoot, filesDir).split('\\').join('/');
  let out = '';
  for (const path of paths) {
    const original = existsSync(join(projectRoot, path)) ? path : '/dev/null';
    const r = await git(['diff', '--no-index', '--no-color', '--', original, `${prefix}/${path}`], projectRoot);
    if (r.code > 1) return null; // git unusable here: the files alone still serve
    out += r.stdout.replaceAll(`a/${prefix}/`, 'a/').replaceAll(`b/${prefix}/`, 'b/');
  }
  return out || null;
}
