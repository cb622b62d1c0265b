/**
 * Paths whose content never leaves the machine: .env files and their backups, keys,
 * credential stores, plus the [secrets].withhold_paths globs. Globs are picomatch's
 * (braces, classes, `**`); a glob without `/` matches the file's name in any folder.
 */
import { realpathSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import picomatch from 'picomatch';

const BUILTIN_SECRET_GLOBS = [
  // dotenv files, direnv, and the backups editors and people leave behind
  '.env',
  '.env.*',
  '.env~',
  '.env*.{bak,backup,old,orig,save,swp}',
  '*.env',
  '.envrc',
  'env.{bak,backup,old,orig,save}',
  // keys and certificates with their private halves
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '*.keystore',
  '*.jks',
  '*.ppk',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  // credential stores of common tools
  'credentials',
  'credentials.*',
  '*credentials*.json',
  '**/.aws/*',
  '**/.docker/config.json',
  '**/.kube/config',
  'kubeconfig',
  '*.kubeconfig',
  '.netrc',
  '_netrc',
  '.npmrc',
  '.pypirc',
  '.pgpass',
  '.my.cnf',
  '.git-credentials',
  '.vault-token',
  '.htpasswd',
  '*.tfstate',
  '*.tfstate.backup',
  // Data files named "secrets", not code about them (secrets.ts stays visible).
  'secrets.{json,yaml,yml,toml,env}',
];

/** A matcher for secret paths (relative, `/` or `\` separated); `extraGlobs` are [secrets].withhold_paths. */
export function secretPathMatcher(extraGlobs: string[] = []): (path: string) => boolean {
  const globs = [...BUILTIN_SECRET_GLOBS, ...extraGlobs];
  const options = { dot: true, nocase: true };
  // picomatch's own `basename` option would test "a/**" against the name too: split by hand.
  const byName = picomatch(globs.filter((g) => !g.includes('/')).concat('\0'), options);
  const byPath = picomatch(globs.filter((g) => g.includes('/')).concat('\0'), options);
  return (path) => {
    // "../" (a link target outside the folder) and "./" say nothing about the file itself.
    const normal = path.replace(/\\/g, '/').replace(/^(?:\.\.?\/)+/, '');
    if (normal === '') return false;
    return byName(normal.slice(normal.lastIndexOf('/') + 1)) || byPath(normal);
  };
}

export function isSecretPath(path: string, extraGlobs: string[] = []): boolean {
  return secretPathMatcher(extraGlobs)(path);
}

/**
 * Is this file (relative to cwd) a secret, by its own name or by where it really is? A
 * symlink notes.txt → .env is the .env file; so is a link to a folder holding it.
 */
export function isSecretFile(isSecret: (path: string) => boolean, cwd: string, file: string): boolean {
  const abs = resolve(cwd, file);
  if (isSecret(relative(cwd, abs) || file)) return true;
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    return false; // missing: the caller reports it
  }
  let realCwd = cwd;
  try {
    realCwd = realpathSync(cwd);
  } catch {
    // keep cwd
  }
  return isSecret(relative(realCwd, real)) || isSecret(real);
}
