/**
 * Secret-looking strings, as data. secretlint's recommended preset (secrets/secretlint.ts)
 * is the maintained catalogue of provider tokens; these patterns add the shapes it does
 * not cover and that leak in everyday text: passwords in URLs, curl -u, Authorization
 * headers, password flags, *_PASSWORD= and friends, Kubernetes env pairs, npm auth.
 * Where a pattern has a `secret` group, only that group is redacted (the name stays
 * readable for the reviewer).
 */

export interface SecretPattern {
  kind: string;
  re: RegExp;
  /** For assignments: only the value (group 2 or 3 when quoted, else 4) is secret, and only when it looks random. */
  assignment?: boolean;
}

/** Names that hold secrets in assignments, env pairs and config keys. */
const SECRET_NAME =
  '[\\w.-]*(?:_KEY|_SECRET|_TOKEN|PASSWORD|PASSWD|_PASS|_PWD|_AUTH|secret|apikey|api_key|access_key|private_key|auth_token|client_secret|credentials?)';

export const SECRET_PATTERNS: SecretPattern[] = [
  {
    kind: 'private key',
    re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  { kind: 'Anthropic key', re: /\bsk-ant-[\w-]{20,}/g },
  { kind: 'OpenAI key', re: /\bsk-[\w-]{20,}/g },
  { kind: 'Stripe key', re: /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{10,}/g },
  { kind: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{22,})/g },
  { kind: 'AWS access key', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'Google API key', re: /\bAIza[\w-]{35}/g },
  { kind: 'Slack token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g },
  { kind: 'Slack webhook', re: /hooks\.slack\.com\/services\/[\w/-]+/g },
  { kind: 'JWT', re: /\beyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/g },
  // scheme://user:PASSWORD@host (postgres, mongodb+srv, mysql, redis, amqp, https, …)
  { kind: 'password in URL', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`]*:(?<secret>[^\s@/"'`]+)@/gi },
  { kind: 'curl credentials', re: /(?:^|\s)(?:-u\s*|--user(?:=|\s+))["']?[^\s:"']*:(?<secret>[^\s"']+)/g },
  {
    kind: 'Authorization header',
    re: /\bAuthorization["']?\s*[:=]\s*["'`]?(?:Bearer|Basic|Token|Digest|Bot)\s+(?<secret>[\w.~+/=-]{8,})/gi,
  },
  { kind: 'bearer token', re: /\bBearer\s+(?<secret>(?=[\w.~+/-]*\d)[\w.~+/-]{16,}=*)/g },
  { kind: 'npm auth', re: /(?:_authToken|_auth|_password)\s*=\s*["']?(?<secret>[^\s"']+)/g },
  {
    kind: 'password flag',
    re: /(?:^|\s)--?(?:password|passwd|pass|pwd)(?:=|\s+)["']?(?<secret>(?!-)[^\s"']+)/gi,
  },
  { kind: 'mysql -p password', re: /\bmysql(?:dump|admin)?\b[^\n]*?\s-p(?<secret>[^\s-]\S*)/g },
  {
    kind: 'Kubernetes secret env value',
    re: new RegExp(`\\bname:\\s*["']?${SECRET_NAME}["']?[ \\t]*\\n[ \\t]*value:[ \\t]*["']?(?<secret>[^"'\\n]+)`, 'gi'),
  },
  {
    // NAME = "value" with a secret name, also after a prefix (`secret: API_TOKEN = "…"`).
    kind: 'quoted secret assignment',
    re: new RegExp(`\\b(${SECRET_NAME})\\s*[:=]\\s*(?:"([^"\\n]{6,})(?=")|'([^'\\n]{6,})(?='))`, 'gi'),
    assignment: true,
  },
  {
    kind: 'secret assignment',
    // A quoted value runs to its closing quote (a passphrase may hold spaces); a bare one to the next space.
    re: new RegExp(
      `\\b(${SECRET_NAME})["']?\\s*[:=]\\s*(?:"([^"\\n]{6,})(?=")|'([^'\\n]{6,})(?=')|["']?([^\\s"'\`,;]{6,}))`,
      'gi',
    ),
    assignment: true,
  },
];

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
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
  // Another name, not a value (`secret: API_TOKEN = "…"`: the value comes after it).
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value)) return false;
  if (/pass(?:word|wd)?$|_pwd$/i.test(name)) return value.length >= 6;
  return value.length >= 12 && entropy(value) >= 3.0;
}
