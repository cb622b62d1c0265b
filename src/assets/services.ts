/**
 * What asset commands need from the provider layer, injected so they work before it lands:
 * the usage ledger (one line per model call) and the secrets guard (prompts are checked
 * before they leave the machine). The defaults are deliberately simple.
 *
 * WIRING: when src/ledger and the secrets guard exist, replace `defaultAssetServices`
 * with adapters to them; nothing else in src/assets changes.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Config } from '../config/schema.ts';

export interface AssetUsageEntry {
  ts: string;
  task: string;
  provider: string;
  model: string;
  status: 'ok' | 'failed';
  latency_ms: number;
  cost_usd: number | null;
  request_id: string | null;
  /** Project-relative path of the stored asset, when there is one. */
  asset: string | null;
  error?: string;
}

export interface GuardedPrompt {
  text: string;
  /** Descriptions of what was redacted (never the secret itself). */
  withheld: string[];
}

export interface AssetServices {
  recordUsage(entry: AssetUsageEntry): void;
  /** Returns the prompt to send, or throws MmError when the policy refuses it. */
  guardPrompt(text: string): GuardedPrompt;
}

/** Stand-in until the providers issue lands: appends to the configured ledger, guards nothing. */
export function defaultAssetServices(projectRoot: string, config: Config): AssetServices {
  const ledger = resolve(projectRoot, config.usage.ledger);
  return {
    recordUsage(entry) {
      try {
        mkdirSync(dirname(ledger), { recursive: true });
        // One short line per call: appends of this size are atomic on local filesystems.
        appendFileSync(ledger, `${JSON.stringify(entry)}\n`);
      } catch {
        // A ledger that cannot be written must not lose the asset the user paid for.
      }
    },
    guardPrompt: (text) => ({ text, withheld: [] }),
  };
}
