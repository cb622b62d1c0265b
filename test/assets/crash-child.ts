/**
 * Run by store.test.ts in a child process: stores an asset and kills itself with
 * SIGKILL at the step named in argv (no cleanup code runs, as in a real crash).
 */
import { storeAsset, type StoreStep } from '../../src/assets/store.ts';

const [root, crashAt] = process.argv.slice(2) as [string, StoreStep];
storeAsset({
  projectRoot: root,
  pipeline: {
    output_dir: 'assets/ai-gen',
    structure: '{date}/{model}/{filename}',
    store_prompts: true,
    store_seeds: true,
    store_metadata: true,
  },
  model: 'nano-banana-pro',
  stem: 'hero',
  extension: '.png',
  bytes: Buffer.alloc(8 * 1024 * 1024, 1),
  prompt: 'a hero',
  meta: {
    source: 'generated',
    provider: 'google',
    wire_model: null,
    task: 'image_generation',
    parameters: {},
    seed: null,
    mime_type: 'image/png',
    watermark: { reported: false, provider_policy: null, detail: null },
    request_id: null,
    estimated_cost_usd: null,
    fallback: null,
    withheld: [],
  },
  onStep: (step) => {
    if (step === crashAt) process.kill(process.pid, 'SIGKILL');
  },
});
