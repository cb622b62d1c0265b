import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff, SecurityScanner } from '../../src/git/change.ts';
import { SECURITY_CONCEPTS } from '../../src/policy/security-concepts.ts';
import {
  ConceptMatcher,
  fileKind,
  identifierSegments,
  SecurityMatcher,
  SecurityTally,
  SENSITIVE_SCORE,
} from '../../src/policy/security-match.ts';

const concepts = new ConceptMatcher(SECURITY_CONCEPTS);
const conceptsIn = (text: string) => [...new Set(concepts.match(text).map((h) => h.concept))];

/** A diff adding `lines` to `path`, scanned as `mm check` scans it. */
function scan(files: Record<string, string[]>, patterns: string[] = []) {
  const diff = Object.entries(files)
    .map(([path, lines]) =>
      [`diff --git a/${path} b/${path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n'),
    )
    .join('\n');
  const scanner = new SecurityScanner(patterns);
  parseUnifiedDiff(`${diff}\n`, scanner);
  return scanner.summary();
}

describe('identifier segments', () => {
  it('splits camelCase, PascalCase, snake_case, kebab-case, dotted and acronyms', () => {
    expect(identifierSegments('getAuthToken(author_id)')).toEqual(['get', 'auth', 'token', 'author', 'id']);
    expect(identifierSegments('XMLHttpRequest')).toEqual(['xml', 'http', 'request']);
    expect(identifierSegments('google-auth-library os.path.realpath')).toEqual([
      'google',
      'auth',
      'library',
      'os',
      'path',
      'realpath',
    ]);
    expect(identifierSegments('OAuth2Client MAX_BODY_SIZE')).toEqual(['oauth2', 'client', 'max', 'body', 'size']);
    // Digits stay with their letters, so "PBKDF2" and "sha256" are one segment each.
    expect(identifierSegments('DEFAULT_PBKDF2_ITERATIONS sha256Hex X509Cert')).toEqual([
      'default',
      'pbkdf2',
      'iterations',
      'sha256',
      'hex',
      'x509',
      'cert',
    ]);
  });

  it('matches whole segments only: author_association is not auth, LLM tokens are not secrets', () => {
    expect(conceptsIn('const assoc = pr.author_association;')).toEqual([]);
    expect(conceptsIn('const maxTokens = countTokens(prompt);')).toEqual([]);
    expect(conceptsIn('const authorName = 1; // authored by')).toEqual([]);
    expect(conceptsIn('if (!req.isAuthenticated()) return res.status(401);')).toEqual(['auth']);
    expect(conceptsIn('const accessToken = await refresh();')).toEqual(['secret']);
  });

  it('a term of several segments matches across naming styles', () => {
    for (const text of ['apiKey', 'api_key', 'API-KEY', 'the API key']) expect(conceptsIn(text)).toEqual(['secret']);
    expect(conceptsIn('subprocess.run(cmd, shell=True)')).toEqual(['exec/shell']);
  });
});

describe('each concept', () => {
  it.each<[string, string]>([
    ['auth', 'function authorizeRequest(req) {}'],
    ['oauth', 'const client = new OAuth2Client(id);'],
    ['session', "res.setHeader('Set-Cookie', value)"],
    ['crypto', 'const mac = crypto.createHmac("sha256", key);'],
    ['secret', 'SECRET_KEY = os.environ["SECRET_KEY"]'],
    ['credential', 'const creds = loadCredentials();'],
    ['keychain', 'await keychain.setPassword(service, account, value);'],
    ['permission', 'if (!hasPermission(user, "write")) throw new Forbidden();'],
    ['policy', 'const decision = policyEngine.check(call);'],
    ['approval', 'if (approvalMode === ApprovalMode.YOLO) return;'],
    ['sandbox', 'const profile = seatbelt.profileFor(sandboxConfig);'],
    ['trust', 'if (!isWorkspaceTrusted(dir)) return;'],
    ['path traversal', 'return safe_join(root, filename)'],
    ['injection', '// prevents prompt injection through issue titles'],
    ['escaping', 'return escapeHtml(userInput);'],
    ['csp/cors', "headers['Content-Security-Policy'] = csp;"],
    ['tls', 'tlsConfig := &tls.Config{InsecureSkipVerify: false}'],
    ['deserialisation', 'data = pickle.loads(blob)'],
    ['exec/shell', 'execSync(command)'],
    ['resource limits', 'const MAX_BODY_SIZE = 1 << 20;'],
    ['resource limits', 'let body = req.into_limited_body();'],
    ['resource limits', 'r.Body = http.MaxBytesReader(w, r.Body, maxConfigSize)'],
    ['crypto', 'DEFAULT_PBKDF2_ITERATIONS = 1_000_000'],
    ['security', 'from .security import safe_join'],
    ['security', 'unsafe { ptr.read() }'],
    ['vulnerability', '// fixes CVE-2024-1234'],
    ['supply chain', 'on: pull_request_target'],
  ])('%s: %s', (concept, line) => {
    expect(conceptsIn(line)).toContain(concept);
  });
});

describe('look-alikes that are not security', () => {
  it.each<[string, string]>([
    ['serde deserialisation is everyday code', "impl<'de> Deserialize<'de> for Query { fn deserialize(d: D) }"],
    ['author_association is not auth', 'if (comment.author_association === "MEMBER") return;'],
    ['a pin of a version is not a PIN', 'pinned_version = "1.2"'],
    ['securities are not security', 'const securities = portfolio.list();'],
  ])('%s', (_why, line) => {
    expect(conceptsIn(line)).toEqual([]);
  });
  it('but unsafe loaders are', () => {
    expect(conceptsIn('data = yaml.unsafe_load(text)')).toContain('deserialisation');
    expect(conceptsIn('$obj = unserialize($_COOKIE["x"]);')).toContain('deserialisation');
  });
});

describe('weighting by place', () => {
  it('a word in a trailing comment or a docstring sentence counts as a comment, not as code', () => {
    const line = new SecurityMatcher();
    expect(line.line('x := f(a) // nolint:gosec // path traversal checked above', 'code').place).toBe('comment');
    expect(line.line('sandbox.run(cmd) // keep', 'code').place).toBe('code');
    expect(line.line('    the ``trusted_hosts`` list is used to validate the host header', 'code').place).toBe(
      'comment',
    );
    expect(line.line('if trusted_hosts is not None:', 'code').place).toBe('code');
  });

  it('an advisory id counts wherever it is named, but a changelog entry alone is not the fix', () => {
    const entry = '* Fix GHSA-vcc4-2c75-vc9v in stripHTML';
    expect(scan({ 'CHANGELOG.md': [entry] }).sensitive).toBe(false);
    expect(scan({ 'test/regress.rb': ['# CVE-2024-1234 regression'] }).sensitive).toBe(true);
    const withCode = scan({ 'CHANGELOG.md': [entry], 'lib/strip.go': ['return sanitizeTags(s)'] });
    expect(withCode.sensitive).toBe(true);
    expect(withCode.examples[0]).toMatchObject({ place: 'advisory' });
    // The word "CVE" without an id is the ordinary concept, weighted by place.
    expect(scan({ 'CHANGELOG.md': ['see the CVE process'], 'lib/a.go': ['x := escape(y)'] }).sensitive).toBe(false);
  });

  it('examples, samples and demos weigh like tests, their manifests too', () => {
    expect(fileKind('examples/oauth/src/main.rs')).toBe('test');
    expect(fileKind('examples/jwt/Cargo.toml')).toBe('test');
    expect(scan({ 'examples/tls-rustls/Cargo.toml': ['rustls = "0.23"'] }).sensitive).toBe(false);
  });

  it('file kinds: code, tests, prose, manifests, lockfiles', () => {
    expect(fileKind('src/auth/session.ts')).toBe('code');
    expect(fileKind('src/auth/session.test.ts')).toBe('test');
    expect(fileKind('tests/test_sessions.py')).toBe('test');
    expect(fileKind('caddyauth/basicauth_test.go')).toBe('test');
    expect(fileKind('docs/security.md')).toBe('prose');
    expect(fileKind('CHANGES.rst')).toBe('prose');
    expect(fileKind('package.json')).toBe('manifest');
    expect(fileKind('go.mod')).toBe('manifest');
    expect(fileKind('package-lock.json')).toBe('lockfile');
    expect(fileKind('Cargo.lock')).toBe('lockfile');
  });

  it('the same words fire in code and not in prose, tests or comments', () => {
    const words = 'The sandbox checks the OAuth credentials and the session cookie before approval.';
    expect(scan({ 'docs/guide.md': [words, words, words] }).sensitive).toBe(false);
    expect(scan({ 'src/x.test.ts': [`it("${words}")`] }).sensitive).toBe(false);
    expect(scan({ 'src/x.ts': [`// ${words}`] }).sensitive).toBe(false);
    const code = scan({ 'src/x.ts': ['const ok = sandbox.verify(oauthCredentials, sessionCookie);'] });
    expect(code.sensitive).toBe(true);
    expect(code.examples[0]).toMatchObject({ file: 'src/x.ts', line: 1, where: 'added', place: 'code' });
  });

  it('a path counts, more than a word in code', () => {
    const s = scan({ 'src/sandbox/profile.ts': ['export const x = 1;'] });
    expect(s.examples).toEqual([expect.objectContaining({ concept: 'sandbox', place: 'path', where: 'path' })]);
    expect(s.examples[0]!.weight).toBeGreaterThan(scan({ 'src/x.ts': ['sandbox()'] }).examples[0]!.weight);
  });

  it('lockfiles are not scanned; a security library in a manifest counts', () => {
    const bump = { 'package-lock.json': ['"node_modules/passport": {', '"auth": true'], 'package.json': ['"x": "1"'] };
    expect(scan(bump).examples).toEqual([]);
    const manifest = scan({ 'go.mod': ['\tgolang.org/x/crypto v0.31.0'] });
    expect(manifest.examples[0]).toMatchObject({ concept: 'security dependency', place: 'dependency' });
    expect(manifest.sensitive).toBe(true);
  });

  it('a change of lockfiles only is not flagged by its shape (Dependabot bumps look like that)', () => {
    expect(scan({ 'package-lock.json': ['"version": "3.1.5",'], 'Cargo.lock': ['version = "0.4.11"'] }).score).toBe(0);
  });

  it('a small code change with tests adds to the evidence it has, and never fires alone', () => {
    const fix = { 'lib/static.rb': ['path = ::File.expand_path(path)', 'return fail(403) unless trusted?(path)'] };
    const withTest = { ...fix, 'test/spec_static.rb': ['it "refuses a path outside root" do'] };
    expect(scan(fix).sensitive).toBe(false); // "trusted" in code: 1.5
    expect(scan(withTest).sensitive).toBe(true);
    expect(scan(withTest).examples.at(-1)).toMatchObject({ concept: 'small fix with tests', file: 'lib/static.rb' });
    // Near misses: the same shape without a security word, and a large change with the same word.
    expect(scan({ 'lib/a.rb': ['x = 1'], 'test/a_spec.rb': ['it "works" do'] }).score).toBe(0);
    const large = { ...withTest, 'lib/static.rb': [...fix['lib/static.rb'], ...Array.from({ length: 40 }, () => 'x')] };
    expect(scan(large).sensitive).toBe(false);
  });

  it('a size limit on input or an escaping change in code fires alone; in a test it does not', () => {
    expect(scan({ 'lib/rack/utils.rb': ['def parse(io, max_body_size: 1 << 20)'] }).sensitive).toBe(true);
    expect(scan({ 'test/spec_utils.rb': ['def parse(io, max_body_size: 1 << 20)'] }).sensitive).toBe(false);
    expect(scan({ 'src/render.ts': ['return escapeHtml(name);', 'const label = sanitizeLabel(raw);'] }).sensitive).toBe(
      true,
    );
    expect(
      scan({ 'src/render.test.ts': ['return escapeHtml(name);', 'const label = sanitizeLabel(raw);'] }).sensitive,
    ).toBe(false);
  });

  it('fifty mentions of one concept in one file are one capped finding', () => {
    const many = scan({ 'src/x.ts': Array.from({ length: 50 }, (_, i) => `const cookie${i} = readCookie(${i});`) });
    expect(many.score).toBeLessThan(SENSITIVE_SCORE);
  });

  it('the tally caps tests and prose for the whole change', () => {
    const t = new SecurityTally();
    for (let i = 0; i < 40; i++) t.add(`test/t${i}.ts`, 'auth', 'test', 1);
    expect(t.score).toBe(1);
    expect(t.sensitive).toBe(false);
  });
});

describe('[thresholds].security_sensitive_patterns', () => {
  it('the old default list means the built-in concepts (no substring matching)', () => {
    const legacy = ['auth', 'crypto', 'token', 'password', 'secret', 'injection', 'sanitiz', 'escap'];
    expect(new SecurityMatcher(legacy).line('const assoc = pr.author_association;', 'code').hits).toEqual([]);
  });

  it('a custom word matches segments that start with it; other text matches as a substring', () => {
    const m = new SecurityMatcher(['billing', 'corp.internal/']);
    expect(m.line('const billingAccount = load();', 'code').hits).toEqual([
      { concept: 'custom: billing', term: 'billing*', weight: 2 },
    ]);
    expect(m.line('fetch("https://corp.internal/users")', 'code').hits).toEqual([
      { concept: 'custom: corp.internal/', term: 'corp.internal/', weight: 2 },
    ]);
    expect(scan({ 'src/pay.ts': ['const billingAccount = load();'] }, ['billing']).sensitive).toBe(true);
  });
});

describe('the candidate search finds what segmenting every word finds', () => {
  /** The plain definition: every segment of the text, every term tried at every segment. */
  function reference(
    matcher: { terms: Array<{ concept: string; term: string; weight: number; parts: string[] }> },
    text: string,
  ) {
    const segs = identifierSegments(text);
    const hits: Array<{ concept: string; term: string; weight: number }> = [];
    for (let i = 0; i < segs.length; i++)
      for (const t of matcher.terms) {
        const ok = t.parts.every((part, k) => {
          const seg = segs[i + k];
          if (seg === undefined) return false;
          return part.endsWith('*') ? seg.startsWith(part.slice(0, -1)) : seg === part;
        });
        if (ok && !hits.some((h) => h.term === t.term))
          hits.push({ concept: t.concept, term: t.term, weight: t.weight });
      }
    return hits;
  }

  it('in any case, split any way, inside other words and across separators, in order', () => {
    const terms = SECURITY_CONCEPTS.flatMap((c) =>
      c.terms.map((term) => ({
        concept: c.name,
        term,
        weight: c.weight,
        parts: term
          .toLowerCase()
          .split(/[\s_-]+/)
          .filter(Boolean),
      })),
    );
    // Same order as the matcher tries them: terms by first segment, exact ones before stems.
    const all = {
      terms: [...terms.filter((t) => !t.parts[0]!.endsWith('*')), ...terms.filter((t) => t.parts[0]!.endsWith('*'))],
    };
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const spell = (word: string) =>
      [
        word,
        word.toUpperCase(),
        word[0]!.toUpperCase() + word.slice(1),
        `x${word}`,
        `${word}s`,
        `X${word[0]!.toUpperCase()}${word.slice(1)}`,
      ][random(6)]!;
    const glue = ['', '_', '-', ' ', '.', '::', '("', '2', 'A'];
    const matcher = new SecurityMatcher([]);
    for (let n = 0; n < 3000; n++) {
      const words = Array.from({ length: 1 + random(6) }, () => {
        const t = terms[random(terms.length)]!;
        return t.parts.map((p) => spell(p.replace(/\*$/, random(2) ? 'ing' : ''))).join(glue[random(glue.length)]!);
      });
      const text = words.join(glue[random(glue.length)]!);
      const want = reference(all, text).map((h) => h.term);
      const got = concepts.match(text).map((h) => h.term);
      // The matcher tries a segment's exact terms before its stems; the reference, all terms in one list.
      expect(new Set(got), text).toEqual(new Set(want));
      expect(matcher.lineAt(`+${text}\n`, 1, text.length + 1, 'code').hits, text).toEqual(
        matcher.line(text, 'code').hits,
      );
    }
  });

  it('lines read in place one after another from one chunk get what each line alone gets', () => {
    const NO_HITS = new SecurityMatcher([]).lineAt('', 0, 0, 'lockfile');
    // A term cut by a line break ("access" / "token"), lines with no candidate, candidates
    // that start no term, and words of every term, spelled any way.
    let seed = 11;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const words = [
      ...SECURITY_CONCEPTS.flatMap((c) => c.terms.flatMap((t) => t.replace(/\*/g, 'ing').split(/\s+/))),
      'Executor',
      'policies',
      'const',
      'x = 1;',
      '',
      '// see',
    ];
    const lines = Array.from({ length: 2000 }, () =>
      Array.from({ length: random(4) }, () => {
        const w = words[random(words.length)]!;
        return [w, w.toUpperCase(), `get${w[0]?.toUpperCase() ?? ''}${w.slice(1)}`][random(3)]!;
      }).join(['', '_', ' ', '.'][random(4)]!),
    );
    const chunk = lines.map((l) => `${['+', '-'][random(2)]}${l}\n`).join('');
    const inPlace = new SecurityMatcher([]);
    let start = 0;
    for (const line of lines) {
      const end = start + 1 + line.length;
      const alone = new SecurityMatcher([]).line(line, 'code');
      // Without hits the place does not matter (nothing is recorded).
      expect(inPlace.lineAt(chunk, start + 1, end, 'code'), line).toEqual(alone.hits.length ? alone : NO_HITS);
      start = end + 1;
    }
  });
});
