/**
 * The secrets guard, run before any prompt or file leaves the machine: files on secret
 * paths are withheld, secret-looking strings redacted — or the call refused, as
 * [secrets].on_secret says. The result lists what was withheld (never the values).
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import { looksLikeDiff, pathsOf, splitDiffSections } from '../git/diff-parser.ts';
import { MmError } from '../util/errors.ts';
import { isSecretFile, secretPathMatcher } from './paths.ts';
import { redactSecrets } from './redact.ts';

export interface GuardResult {
  prompt: string;
  /** Human lines: "withheld file .env", "redacted 2 × GitHub token". */
  withheld: string[];
}

export interface GuardInput {
  prompt: string;
  /** Files to attach after the prompt (relative to cwd). Secret paths are withheld. */
  files?: string[];
  cwd: string;
}

export function guardSecrets(input: GuardInput, secrets: Config['secrets']): GuardResult {
  const isSecretPath = secretPathMatcher(secrets.withhold_paths);
  const withheld: string[] = [];
  let prompt = withholdDiffSections(input.prompt, isSecretPath, withheld);
  for (const file of input.files ?? []) {
    const abs = resolve(input.cwd, file);
    const shown = relative(input.cwd, abs) || file;
    // A link's target counts too: notes.txt → .env.production is still the .env file.
    if (isSecretFile(isSecretPath, input.cwd, file)) {
      withheld.push(`withheld file ${shown} (secret path)`);
      continue;
    }
    prompt += attachment(shown, abs);
  }
  const redacted = redactSecrets(prompt, secrets.patterns);
  const redactions = [...redacted.found].map(([kind, n]) => `redacted ${n} × ${kind}`);
  if (redactions.length && secrets.on_secret === 'refuse') {
    throw new MmError(
      'input',
      `the prompt holds secret-looking strings (${[...redacted.found.keys()].join(', ')}); nothing was sent (secrets.on_secret = "refuse")`,
      {
        hint: 'remove them, or set [secrets] on_secret = "redact"',
      },
    );
  }
  return { prompt: redacted.text, withheld: [...withheld, ...redactions] };
}

/**
 * A diff in the prompt (git's, or a plain `diff -u`) keeps no section that touches a
 * secret path on either side (a changed, deleted or renamed .env).
 */
function withholdDiffSections(prompt: string, isSecretPath: (p: string) => boolean, withheld: string[]): string {
  if (!looksLikeDiff(prompt)) return prompt;
  const sections = splitDiffSections(prompt);
  const kept = sections.filter((s) => {
    const secret = s.file && pathsOf(s.file).find(isSecretPath);
    if (secret) withheld.push(`withheld diff of ${secret} (secret path)`);
    return !secret;
  });
  return kept.length === sections.length ? prompt : kept.map((s) => s.text).join('\n');
}

/** The prompt with files appended as-is (for the local model, which never leaves the machine). */
export function attachFiles(prompt: string, files: string[] | undefined, cwd: string): string {
  let out = prompt;
  for (const file of files ?? []) out += attachment(file, resolve(cwd, file));
  return out;
}

/** A file as it follows the prompt; one the user named wrongly is an input error, not a crash. */
function attachment(label: string, abs: string): string {
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new MmError(
      'input',
      `cannot attach ${label}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; nothing was sent`,
    );
  }
  return `\n\n--- ${label} ---\n${text}`;
}
