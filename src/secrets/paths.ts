/** Paths whose content never leaves the machine: .env*, keys, credentials, plus config globs. */

const BUILTIN_SECRET_GLOBS = [
  '.env',
  '.env.*',
  '*.env',
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '*.keystore',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  'credentials',
  'credentials.*',
  '*credentials*.json',
  '.netrc',
  '.npmrc',
  '.pypirc',
  '*.tfstate',
  // Data files named "secrets", not code about them (secrets.ts stays visible).
  'secrets.json',
  'secrets.yaml',
  'secrets.yml',
  'secrets.toml',
  'secrets.env',
];

/** Minimal glob: `*` within a segment, `**` across segments; a pattern without `/` matches the basename. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

export function secretPathMatcher(extraGlobs: string[] = []): (path: string) => boolean {
  const globs = [...BUILTIN_SECRET_GLOBS, ...extraGlobs].map((g) => ({
    withSlash: g.includes('/'),
    re: globToRegExp(g),
  }));
  return (path) => {
    const normal = path.replace(/\\/g, '/').replace(/^\.\//, '');
    const base = normal.split('/').pop() ?? normal;
    return globs.some((g) => (g.withSlash ? g.re.test(normal) : g.re.test(base)));
  };
}

export function isSecretPath(path: string, extraGlobs: string[] = []): boolean {
  return secretPathMatcher(extraGlobs)(path);
}
