/**
 * An attacker's corpus for "nothing secret leaves the machine" (issue 10, families 1, 2, 3
 * and 5). Each case plants a unique canary; a case HELD when its canary is absent from
 * everything the loopback fakes received (or, for the preview, from what mm printed).
 * Data only: the contract test builds repositories and runs the real CLIs from it.
 */
import { createHash } from 'node:crypto';

/** A unique, secret-looking value per case (hex: high entropy, no words a pattern could key on). */
export function canary(id: string, length = 28): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += createHash('sha256').update(`${id}#${i}`).digest('hex');
  return `c${out.slice(0, length - 1)}`;
}

/** Family 1: files a review packet must leave out by path (the content itself looks harmless). */
export interface PathCase {
  id: string;
  /** Path in the repository. */
  path: string;
  /** How the file is part of the change. */
  change: 'untracked' | 'modified' | 'deleted' | 'renamed-from';
  /** For renamed-from: where it is moved to (also a secret path). */
  to?: string;
}

export const REVIEW_PATH_CASES: PathCase[] = [
  { id: 'untracked .env', path: '.env', change: 'untracked' },
  { id: 'untracked .env.production', path: '.env.production', change: 'untracked' },
  { id: 'untracked nested .env.local', path: 'services/api/.env.local', change: 'untracked' },
  { id: 'untracked key file id_ed25519', path: 'deploy/id_ed25519', change: 'untracked' },
  { id: 'untracked server.key', path: 'certs/server.key', change: 'untracked' },
  { id: 'untracked .netrc', path: '.netrc', change: 'untracked' },
  { id: 'modified tracked .netrc in a folder', path: 'ops/.netrc', change: 'modified' },
  { id: 'modified tracked tls.pem', path: 'ops/tls.pem', change: 'modified' },
  { id: 'deleted tracked .env.local', path: '.env.local', change: 'deleted' },
  { id: 'deleted tracked id_rsa', path: 'keys/id_rsa', change: 'deleted' },
  { id: 'renamed tracked .env.staging', path: '.env.staging', change: 'renamed-from', to: 'old/.env.staging.bak' },
  { id: 'quoted non-ASCII path ü/.env', path: 'ü/.env', change: 'modified' },
  { id: 'quoted path with a tab in it', path: 'tab\there/.env', change: 'modified' },
  { id: 'space in path (git ends +++ with a tab)', path: 'my keys/deploy.pem', change: 'modified' },
  { id: 'space in path .netrc', path: 'home dir/.netrc', change: 'modified' },
  { id: 'quoted path with a quote char', path: 'we"ird/.env.test', change: 'modified' },
];

/**
 * Family 1 on stdin: diff text as a user pipes it (`git diff | mm ask …`), including
 * sections git quotes, tab-terminated names from `diff -u`, and renames.
 */
export interface StdinDiffCase {
  id: string;
  section: (c: string) => string;
}

export const STDIN_DIFF_CASES: StdinDiffCase[] = [
  {
    id: 'stdin plain .env',
    section: (c) =>
      `diff --git a/.env b/.env\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/.env\n@@ -0,0 +1 @@\n+NOTE=${c}\n`,
  },
  {
    id: 'stdin quoted "b/\\303\\274/.env"',
    section: (c) =>
      `diff --git "a/\\303\\274/.env" "b/\\303\\274/.env"\nindex 1111111..2222222 100644\n--- "a/\\303\\274/.env"\n+++ "b/\\303\\274/.env"\n@@ -1 +1 @@\n-NOTE=old\n+NOTE=${c}\n`,
  },
  {
    id: 'stdin tab-terminated +++ (path with space)',
    section: (c) =>
      `diff --git a/my keys/deploy.key b/my keys/deploy.key\nindex 1111111..2222222 100644\n--- a/my keys/deploy.key\t\n+++ b/my keys/deploy.key\t\n@@ -1 +1 @@\n-old\n+${c}\n`,
  },
  {
    id: 'stdin diff -u with timestamps (no diff --git)',
    section: (c) =>
      `--- .netrc.orig\t2026-01-01 10:00:00.000000000 +0000\n+++ .netrc\t2026-01-02 10:00:00.000000000 +0000\n@@ -1 +1,2 @@\n machine example.com\n+# ${c}\n`,
  },
  {
    id: 'stdin deleted .env.production',
    section: (c) =>
      `diff --git a/.env.production b/.env.production\ndeleted file mode 100644\nindex 1111111..0000000\n--- a/.env.production\n+++ /dev/null\n@@ -1 +0,0 @@\n-NOTE=${c}\n`,
  },
  {
    id: 'stdin rename .env → config.txt',
    section: (c) =>
      `diff --git a/.env b/config.txt\nsimilarity index 90%\nrename from .env\nrename to config.txt\nindex 1111111..2222222 100644\n--- a/.env\n+++ b/config.txt\n@@ -1 +1 @@\n-NOTE=${c}\n+NOTE=changed\n`,
  },
  {
    id: 'stdin quoted tab in name',
    section: (c) =>
      `diff --git "a/tab\\there/id_rsa" "b/tab\\there/id_rsa"\nindex 1111111..2222222 100644\n--- "a/tab\\there/id_rsa"\n+++ "b/tab\\there/id_rsa"\n@@ -1 +1 @@\n-old\n+${c}\n`,
  },
];

/** Family 2: secret shapes inside ordinary text; the canary is the secret part. */
export interface ShapeCase {
  id: string;
  text: (c: string) => string;
}

export const SHAPE_CASES: ShapeCase[] = [
  { id: 'postgres:// password', text: (c) => `DATABASE_URL=postgres://app:${c}@db.internal:5432/app` },
  { id: 'postgresql:// in code', text: (c) => `const url = "postgresql://admin:${c}@10.0.0.5/prod";` },
  { id: 'mongodb+srv:// password', text: (c) => `MONGO_URI: mongodb+srv://root:${c}@cluster0.ab12c.mongodb.net/db` },
  { id: 'mysql:// password', text: (c) => `db = mysql://svc:${c}@mysql.local:3306/shop` },
  { id: 'redis:// password only', text: (c) => `REDIS=redis://:${c}@cache:6379/0` },
  { id: 'amqp:// password', text: (c) => `broker_url = "amqp://guest:${c}@rabbit:5672//"` },
  {
    id: 'https://user:token@host',
    text: (c) => `git remote add origin https://deploy:${c}@git.example.com/team/app.git`,
  },
  { id: 'curl -u user:pw', text: (c) => `curl -u admin:${c} https://api.example.com/v1/items` },
  { id: 'curl --user user:pw', text: (c) => `curl --user "ci:${c}" https://nexus.example.com/upload` },
  { id: 'Authorization: Bearer', text: (c) => `Authorization: Bearer ${c}` },
  { id: 'Bearer in a header object', text: (c) => `headers: { 'Authorization': 'Bearer ${c}' }` },
  { id: 'Authorization: Basic', text: (c) => `-H "Authorization: Basic ${Buffer.from(`u:${c}`).toString('base64')}"` },
  { id: 'Stripe sk_live_', text: (c) => `stripe.setKey("sk_live_${c.slice(0, 24)}")` },
  { id: 'Stripe rk_live_', text: (c) => `const restricted = 'rk_live_${c.slice(0, 24)}';` },
  { id: 'npm _authToken', text: (c) => `//registry.npmjs.org/:_authToken=${c}` },
  { id: 'npm _auth', text: (c) => `_auth=${Buffer.from(`me:${c}`).toString('base64')}` },
  { id: 'DB_PASS=', text: (c) => `DB_PASS=${c}` },
  { id: 'SMTP_PASSWORD=', text: (c) => `SMTP_PASSWORD=${c}` },
  { id: 'export ADMIN_PASSWORD', text: (c) => `export ADMIN_PASSWORD='${c}'` },
  { id: 'PGPASSWORD= env prefix', text: (c) => `PGPASSWORD=${c} psql -h db -U app` },
  { id: '--password X', text: (c) => `mysqldump --password ${c} --all-databases` },
  { id: '--password=X', text: (c) => `docker login --username ci --password=${c} registry.example.com` },
  { id: 'mysql -pX', text: (c) => `mysql -u root -p${c} shop` },
  {
    id: 'k8s name: *_KEY + value:',
    text: (c) => `        - name: STRIPE_API_KEY\n          value: "${c}"`,
  },
  {
    id: 'k8s name: *_PASSWORD + bare value',
    text: (c) => `        - name: DB_PASSWORD\n          value: ${c}`,
  },
  { id: 'secret: NAME = "value"', text: (c) => `secret: API_TOKEN = "${c}"` },
  { id: 'yaml password:', text: (c) => `  password: "${c}"` },
  { id: 'AWS secret access key', text: (c) => `aws_secret_access_key = ${c.slice(0, 20)}/${c.slice(0, 19)}` },
  { id: 'GitHub token ghp_', text: (c) => `token: ghp_${(c + c).slice(0, 36)}` },
  {
    id: 'Slack webhook',
    text: (c) => `SLACK_HOOK=https://hooks.slack.com/services/T0123ABCD/B0456EFGH/${c.slice(0, 24)}`,
  },
  { id: 'client_secret JSON', text: (c) => `{"client_id": "abc.apps", "client_secret": "${c}"}` },
  { id: 'private key block', text: (c) => privateKey(c) },
];

/** A PEM block whose body lines are built from the canary (so any leaked line shows). */
export function privateKey(c: string, lines = 4): string {
  const body = Array.from(
    { length: lines },
    (_, i) => `${c}${'A'.repeat(64)}`.slice(0, 60) + String(i).padStart(4, '0'),
  );
  return ['-----BEGIN OPENSSH PRIVATE KEY-----', ...body, '-----END OPENSSH PRIVATE KEY-----'].join('\n');
}

/** Family 3: credential files attached with --file/--files (content harmless-looking: only the path can hold it). */
export interface AttachCase {
  id: string;
  path: string;
  content: (c: string) => string;
  /** A symlink: `path` points at `target`. */
  target?: string;
  /** Needs these [secrets].withhold_paths globs. */
  globs?: string[];
}

export const ATTACH_CASES: AttachCase[] = [
  { id: 'AWS credentials', path: '.aws/credentials', content: (c) => `[default]\nnote = ${c}\n` },
  { id: '.pgpass', path: '.pgpass', content: (c) => `db:5432:app:app:${c}\n` },
  { id: '.git-credentials', path: '.git-credentials', content: (c) => `https://me:${c}@github.com\n` },
  { id: '.envrc', path: '.envrc', content: (c) => `export NOTE=${c}\n` },
  { id: '.env~ (editor backup)', path: '.env~', content: (c) => `NOTE=${c}\n` },
  { id: 'env.backup', path: 'env.backup', content: (c) => `NOTE=${c}\n` },
  { id: '.env.bak', path: 'config/.env.bak', content: (c) => `NOTE=${c}\n` },
  { id: 'Docker config.json', path: '.docker/config.json', content: (c) => `{"auths":{"r.io":{"note":"${c}"}}}\n` },
  {
    id: 'kube config',
    path: '.kube/config',
    content: (c) => `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  note: ${c}\n`,
  },
  { id: '.vault-token', path: '.vault-token', content: (c) => `${c}\n` },
  { id: 'symlink notes.txt → .env', path: 'notes.txt', target: '.env', content: (c) => `NOTE=${c}\n` },
  {
    id: 'symlink into a secret dir (link/credentials → .aws)',
    path: 'awslink/creds.txt',
    target: '../.aws/config',
    content: (c) => `[profile x]\nnote = ${c}\n`,
  },
  {
    id: 'withhold_paths brace glob **/*.{hcl,tfvars} (tfvars)',
    path: 'infra/prod.tfvars',
    content: (c) => `note = "${c}"\n`,
    globs: ['**/*.{hcl,tfvars}'],
  },
  {
    id: 'withhold_paths brace glob **/*.{hcl,tfvars} (hcl)',
    path: 'infra/vault.hcl',
    content: (c) => `note = "${c}"\n`,
    globs: ['**/*.{hcl,tfvars}'],
  },
  {
    id: 'withhold_paths class glob dumps/backup[0-9].sql',
    path: 'dumps/backup7.sql',
    content: (c) => `-- ${c}\n`,
    globs: ['dumps/backup[0-9].sql'],
  },
];

/** Family 3 via `mm prototype --files` (the Gemini SDK path): symlinks to secret files. */
export const PROTOTYPE_CASES: AttachCase[] = [
  {
    id: 'prototype symlink docs/env.md → ../.env',
    path: 'docs/env.md',
    target: '../.env',
    content: (c) => `NOTE=${c}\n`,
  },
  {
    id: 'prototype symlink src/db.txt → ../.pgpass',
    path: 'src/db.txt',
    target: '../.pgpass',
    content: (c) => `db:5432:app:app:${c}\n`,
  },
  { id: 'prototype .envrc', path: '.envrc', content: (c) => `export NOTE=${c}\n` },
];

export interface Outcome {
  family: number;
  surface: string;
  id: string;
  held: boolean;
}

/** Every outcome of the run, printed as a table (tried / held / broke per family) after the file. */
export const OUTCOMES: Outcome[] = [];

export function tally(outcomes: Outcome[]): string {
  const families = [...new Set(outcomes.map((o) => o.family))].sort();
  const lines = families.map((f) => {
    const of = outcomes.filter((o) => o.family === f);
    const broke = of.filter((o) => !o.held);
    return `family ${f}: tried ${of.length}, held ${of.length - broke.length}, broke ${broke.length}${broke.length ? ` (${broke.map((b) => `${b.surface}: ${b.id}`).join('; ')})` : ''}`;
  });
  const broke = outcomes.filter((o) => !o.held).length;
  return [...lines, `total: tried ${outcomes.length}, held ${outcomes.length - broke}, broke ${broke}`].join('\n');
}
