/** Secret-looking strings, as data: each kind with the pattern that finds it. */

export interface SecretPattern {
  kind: string;
  re: RegExp;
  /** For assignments: only the value (group 2 or 3 when quoted, else 4) is secret, and only when it looks random. */
  assignment?: boolean;
}

export const SECRET_PATTERNS: SecretPattern[] = [
  {
    kind: 'private key',
    re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  { kind: 'Anthropic key', re: /\bsk-ant-[\w-]{20,}/g },
  { kind: 'OpenAI key', re: /\bsk-[\w-]{20,}/g },
  { kind: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{22,})/g },
  { kind: 'AWS access key', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'Google API key', re: /\bAIza[\w-]{35}/g },
  { kind: 'Slack token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g },
  { kind: 'JWT', re: /\beyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/g },
  {
    kind: 'secret assignment',
    // A quoted value runs to its closing quote (a passphrase may hold spaces); a bare one to the next space.
    re: /\b([\w.-]*(?:_KEY|_SECRET|_TOKEN|PASSWORD|PASSWD|secret|apikey|api_key|access_key|private_key))["']?\s*[:=]\s*(?:"([^"\n]{6,})(?=")|'([^'\n]{6,})(?=')|["']?([^\s"'`,;]{6,}))/gi,
    assignment: true,
  },
];

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Values that look like secrets rather than names, references or placeholders. */
export function looksSecret(name: string, value: string): boolean {
  if (
    /^\$\{?[A-Z_]+\}?$|^process\.env|^os\.environ|^<.*>$|^(?:x+|\*+|changeme|example|placeholder|null|none|true|false|undefined)$/i.test(
      value,
    )
  )
    return false;
  if (/pass(?:word|wd)?$/i.test(name)) return value.length >= 6;
  return value.length >= 12 && entropy(value) >= 3.0;
}
