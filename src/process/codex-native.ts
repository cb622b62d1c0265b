/**
 * The npm `codex` command is a Node wrapper whose only job is to start the native binary
 * shipped in a platform package: one more Node start (~50 ms) on every call. When the
 * configured command is that wrapper, run the binary it would run, with the environment
 * it would set. Anything unexpected (another layout, a custom command, MM_CODEX_NATIVE=0)
 * keeps the command as configured.
 */
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, sep } from 'node:path';
import { findOnPath } from './find-on-path.ts';

/** The wrapper's own table (@openai/codex bin/codex.js), for the platforms it supports. */
const NATIVE_TARGETS: Record<string, { triple: string; pkg: string }> = {
  'linux-x64': { triple: 'x86_64-unknown-linux-musl', pkg: '@openai/codex-linux-x64' },
  'linux-arm64': { triple: 'aarch64-unknown-linux-musl', pkg: '@openai/codex-linux-arm64' },
  'darwin-x64': { triple: 'x86_64-apple-darwin', pkg: '@openai/codex-darwin-x64' },
  'darwin-arm64': { triple: 'aarch64-apple-darwin', pkg: '@openai/codex-darwin-arm64' },
};

const MANAGED_BY = [
  'CODEX_MANAGED_BY_NPM',
  'CODEX_MANAGED_BY_BUN',
  'CODEX_MANAGED_BY_PNPM',
  'CODEX_MANAGED_BY_VITE_PLUS',
];

export interface CodexLaunch {
  command: string;
  env: NodeJS.ProcessEnv;
  native: boolean;
}

export function codexLaunch(
  command: string,
  env: NodeJS.ProcessEnv,
  platform = `${process.platform}-${process.arch}`,
): CodexLaunch {
  const asConfigured = { command, env, native: false };
  if (env.MM_CODEX_NATIVE === '0') return asConfigured;
  const target = NATIVE_TARGETS[platform];
  const found = findOnPath(command, env);
  if (!target || !found) return asConfigured;
  let wrapper: string;
  try {
    wrapper = realpathSync(found);
  } catch {
    return asConfigured;
  }
  if (basename(wrapper) !== 'codex.js' || !dirname(wrapper).endsWith(`${sep}@openai${sep}codex${sep}bin`))
    return asConfigured;
  const packageRoot = dirname(dirname(wrapper));
  let vendor: string;
  try {
    vendor = join(
      dirname(createRequire(join(packageRoot, 'package.json')).resolve(`${target.pkg}/package.json`)),
      'vendor',
    );
  } catch {
    vendor = join(packageRoot, 'vendor');
  }
  const binary = join(vendor, target.triple, 'bin', 'codex');
  if (!existsSync(binary)) return asConfigured;
  const nativeEnv: NodeJS.ProcessEnv = { ...env, CODEX_MANAGED_PACKAGE_ROOT: packageRoot };
  for (const key of MANAGED_BY) delete nativeEnv[key];
  nativeEnv.CODEX_MANAGED_BY_NPM = '1';
  return { command: binary, env: nativeEnv, native: true };
}
