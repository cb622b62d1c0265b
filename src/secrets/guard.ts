/**
 * The secrets guard, run before any prompt or file leaves the machine: files on secret
 * paths are withheld, secret-looking strings redacted — or the call refused, as
 * [secrets].on_secret says. The result lists what was withheld (never the values).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import { splitDiffByFile } from '../providers/chunking.ts';
import { MmError } from '../util/errors.ts';
import { secretPathMatcher } from './paths.ts';
import { looksSecret, SECRET_PATTERNS } from './patterns.ts';

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
    if (isSecretPath(shown) || isSecretPath(relative(input.cwd, realPathOf(abs)))) {
      withheld.push(`withheld file ${shown} (secret path)`);
      continue;
    }
    prompt += attachment(shown, abs);
  }
  const found = new Map<string, number>();
  const count = (kind: string) => found.set(kind, (found.get(kind) ?? 0) + 1);
  for (const p of SECRET_PATTERNS) {
    prompt = prompt.replace(
      p.re,
      (match: string, name?: string, doubleQuoted?: string, singleQuoted?: string, bare?: string) => {
        const value = doubleQuoted ?? singleQuoted ?? bare;
        if (!p.assignment) {
          count(p.kind);
          return `[REDACTED ${p.kind}]`;
        }
        if (!name || !value || value.startsWith('[REDACTED') || !looksSecret(name, value)) return match;
        count(`value of ${name}`);
        return match.slice(0, match.length - value.length) + '[REDACTED]';
      },
    );
  }
  for (const source of secrets.patterns) {
    prompt = prompt.replace(configPattern(source), () => {
      count(`match of [secrets].patterns "${source}"`);
      return '[REDACTED]';
    });
  }
  const redactions = [...found].map(([kind, n]) => `redacted ${n} × ${kind}`);
  if (redactions.length && secrets.on_secret === 'refuse') {
    throw new MmError(
      'input',
      `the prompt holds secret-looking strings (${[...found.keys()].join(', ')}); nothing was sent (secrets.on_secret = "refuse")`,
      {
        hint: 'remove them, or set [secrets] on_secret = "redact"',
      },
    );
  }
  return { prompt, withheld: [...withheld, ...redactions] };
}

/** A [secrets].patterns entry; one that does not compile stops the call (fail closed) with a config error. */
function configPattern(source: string): RegExp {
  try {
    return new RegExp(source, 'g');
  } catch (e) {
    throw new MmError(
      'config',
      `[secrets].patterns: "${source}" is not a valid regular expression (${(e as Error).message}); nothing was sent`,
    );
  }
}

/** A diff in the prompt keeps no section for a secret path (e.g. a changed .env). */
function withholdDiffSections(prompt: string, isSecretPath: (p: string) => boolean, withheld: string[]): string {
  if (!prompt.includes('diff --git ')) return prompt;
  const files = splitDiffByFile(prompt);
  const kept = files.filter((f) => {
    if (f.path && isSecretPath(f.path)) {
      withheld.push(`withheld diff of ${f.path} (secret path)`);
      return false;
    }
    return true;
  });
  return kept.length === files.length ? prompt : kept.map((f) => f.text).join('\n');
}

/** The prompt with files appended as-is (for the local model, which never leaves the machine). */
export function attachFiles(prompt: string, files: string[] | undefined, cwd: string): string {
  let out = prompt;
  for (const file of files ?? []) out += attachment(file, resolve(cwd, file));
  return out;
}

function realPathOf(abs: string): string {
  try {
    return realpathSync(abs);
  } catch {
    return abs; // missing: attachment() reports it
  }
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
