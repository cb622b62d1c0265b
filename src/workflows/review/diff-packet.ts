/**
 * The one way a change becomes a review packet, for `mm review diff` and the Stop hook
 * alike: read the hunks, withhold every file on a secret path (untracked, changed,
 * deleted, or a link to one), redact secrets per FILE before the packet is split into
 * chunks (a key across two chunks is found whole), then guard every chunk again.
 * The packet's chunk texts are what is sent; `withheld` says what was left out.
 */
import type { Config } from '../../config/schema.ts';
import { loadRelated } from '../../context/load-related.ts';
import { buildPacket, chunkLimit, type Packet } from '../../context/packet.ts';
import type { ChangeScope } from '../../git/change.ts';
import { collectHunks, type FileHunks } from '../../git/hunks.ts';
import type { Registry } from '../../registry/registry.ts';
import { isSecretFile, secretPathMatcher } from '../../secrets/paths.ts';
import { redactSecrets } from '../../secrets/redact.ts';
import { estimateTokens } from '../../util/tokens.ts';
import { MmError } from '../../util/errors.ts';
import type { Reviewer } from './reviewer.ts';

export interface ReviewPacket {
  root: string;
  compared: string;
  packet: Packet;
  /** "withheld deleted file .env.local (secret path)", "redacted 2 × password in URL". */
  withheld: string[];
  chunkLimit: number;
  related: boolean;
}

export async function buildReviewPacket(opts: {
  cwd: string;
  scope: ChangeScope;
  contextLines?: number;
  config: Config;
  registry: Registry;
  reviewers: Reviewer[];
}): Promise<ReviewPacket> {
  const { config } = opts;
  const hunks = await collectHunks(opts.cwd, opts.scope, opts.contextLines);
  const isSecret = secretPathMatcher(config.secrets.withhold_paths);
  const withheld: string[] = [];
  const found = new Map<string, number>();
  const count = (m: Map<string, number>) => {
    for (const [kind, n] of m) found.set(kind, (found.get(kind) ?? 0) + n);
  };
  const files: FileHunks[] = [];
  for (const file of hunks.files) {
    if (isSecretFile(isSecret, hunks.root, file.path)) {
      withheld.push(`withheld ${file.status} file ${file.path} (secret path)`);
      continue;
    }
    count(redactFile(file, config.secrets.patterns));
    files.push(file);
  }
  const related = loadRelated(hunks.root);
  const limit = chunkLimit(
    config.models.gemini.chunking_threshold,
    opts.reviewers.map((r) => opts.registry.find(r.model)?.context_in),
  );
  const packet = buildPacket(files, { chunkTokens: limit, related: related ?? undefined });
  // Every chunk is guarded on its own too: what one chunk holds must be safe alone.
  for (const chunk of packet.chunks) {
    const guarded = redactSecrets(chunk.text, config.secrets.patterns);
    count(guarded.found);
    if (guarded.text !== chunk.text) {
      chunk.text = guarded.text;
      chunk.tokens = estimateTokens(chunk.text);
    }
  }
  packet.tokens = packet.chunks.reduce((n, c) => n + c.tokens, 0);
  if (found.size && config.secrets.on_secret === 'refuse')
    throw new MmError(
      'input',
      `the change holds secret-looking strings (${[...found.keys()].join(', ')}); nothing was sent (secrets.on_secret = "refuse")`,
      { hint: 'remove them, or set [secrets] on_secret = "redact"' },
    );
  withheld.push(...[...found].map(([kind, n]) => `redacted ${n} × ${kind}`));
  return { root: hunks.root, compared: hunks.compared, packet, withheld, chunkLimit: limit, related: related !== null };
}

/**
 * Redacts a file's hunk lines as one text, in order, before any split: a secret that
 * spans hunks or untracked pieces is seen whole. Line counts are kept, so numbers hold.
 */
function redactFile(file: FileHunks, patterns: string[]): Map<string, number> {
  const lines = file.hunks.flatMap((h) => h.lines);
  const { text, found } = redactSecrets(lines.map((l) => l.text).join('\n'), patterns);
  if (!found.size) return found;
  const redacted = text.split('\n');
  lines.forEach((l, i) => (l.text = redacted[i] ?? ''));
  return found;
}
