#!/usr/bin/env node
// Builds bench/corpus/<repo>.jsonl: the N most recent non-merge commits of each fetched
// repository, labelled security-relevant or not.
//
// The rule (documented in bench/corpus/README.md): a commit is security-relevant when its
// subject or message names a security concern (SECURITY_RULE below). It never looks at the
// diff, so the labels are independent of the matcher they measure. The rule's mistakes found
// by reading the subject and, for borderline cases, the diff are corrected in hand-labels.json,
// which wins over the rule.
//
//   node bench/corpus/label.mjs            # all repositories present locally
//   MM_BENCH_MIRROR=/path node bench/corpus/label.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { locateRepo, loadRepos, readCorpus } from './repos.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Security concerns named in a commit message; word-bounded so "author" is not "auth". */
export const SECURITY_RULE = new RegExp(
  [
    String.raw`\bCVE-\d`,
    String.raw`\bGHSA-`,
    String.raw`\bRUSTSEC-`,
    String.raw`\bvulnerab`,
    String.raw`\bsecur(e|ity)\b`,
    String.raw`\b(xss|csrf|ssrf|redos|slowloris)\b`,
    String.raw`\binjection\b`,
    String.raw`\b(path|directory) traversal\b`,
    String.raw`\bsaniti[sz]`,
    String.raw`\bauth(n|z|enticat\w*|ori[sz]ation|ori[sz]e\w*)?\b`,
    String.raw`\boauth`,
    String.raw`\b(credential|password|passwd|secret|api[ -]?key|keychain|keyring)s?\b`,
    String.raw`\bpermissions?\b`,
    String.raw`\bsandbox`,
    String.raw`\bseatbelt\b`,
    String.raw`\b(un)?trust(ed)?\b`,
    String.raw`\bapprov(al|e|ed|als)\b`,
    String.raw`\bpolicy\b`,
    String.raw`\b(tls|ssl|mtls|x509|certificates?|certmagic|acme)\b`,
    String.raw`\b(cors|csp|content-security-policy)\b`,
    String.raw`\b(crypto|encrypt|decrypt|hmac)`,
    String.raw`\bdeseriali[sz]`,
    String.raw`\bcommand injection\b`,
    String.raw`\bsymlinks?\b`,
    String.raw`\b(denial of service|dos)\b`,
    String.raw`\bcargo[ -](deny|audit)\b`,
  ].join('|'),
  'i',
);

export function ruleLabel(message) {
  const m = SECURITY_RULE.exec(message);
  return m ? { label: true, reason: `rule: "${m[0]}"` } : { label: false, reason: 'rule: no security term' };
}

/** Subject and the body up to the first trailer, without co-author lines. */
function messageOf(subject, body) {
  const kept = body
    .split('\n')
    .filter((l) => !/^(?:co-authored-by|signed-off-by|reviewed-by|change-id):/i.test(l.trim()))
    .join('\n');
  return `${subject}\n${kept.slice(0, 1500)}`;
}

const hand = JSON.parse(readFileSync(`${here}/hand-labels.json`, 'utf8'));
for (const repo of loadRepos()) {
  const dir = locateRepo(repo);
  if (!dir) {
    console.log(`${repo.name}: not present locally, skipped (fetch ${repo.source})`);
    continue;
  }
  const out = execFileSync(
    'git',
    ['log', '--no-merges', '-n', String(repo.commits), '--format=%H%x1f%s%x1f%b%x1e', repo.ref ?? 'HEAD'],
    { cwd: dir, maxBuffer: 1 << 28 },
  ).toString();
  const overrides = hand[repo.name] ?? {};
  // Architecture labels (label-arch.mjs) are kept across a relabel.
  const previous = new Map();
  try {
    for (const r of readCorpus(repo.name)) previous.set(r.sha, r);
  } catch {
    // no corpus yet: nothing to keep
  }
  const rows = out
    .split('\x1e')
    .map((r) => r.replace(/^\n/, ''))
    .filter(Boolean)
    .map((r) => {
      const [sha, subject, body = ''] = r.split('\x1f');
      const override = Object.entries(overrides).find(([short]) => sha.startsWith(short));
      const rule = ruleLabel(messageOf(subject, body));
      const { label, reason } = override ? { label: override[1][0], reason: `hand: ${override[1][1]}` } : rule;
      const arch = previous.get(sha);
      return arch?.arch === undefined
        ? { sha, subject, label, reason }
        : { sha, subject, label, reason, arch: arch.arch, archReason: arch.archReason };
    });
  const unused = Object.keys(overrides).filter((s) => !rows.some((r) => r.sha.startsWith(s)));
  if (unused.length) console.log(`${repo.name}: hand labels for commits not in the corpus: ${unused.join(', ')}`);
  writeFileSync(`${here}/${repo.name}.jsonl`, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const positives = rows.filter((r) => r.label).length;
  console.log(`${repo.name}: ${rows.length} commits, ${positives} security-relevant`);
}
