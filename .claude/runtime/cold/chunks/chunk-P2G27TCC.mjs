import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{b as p}from"./chunk-JUVUIKB2.mjs";import{f as n}from"./chunk-53GFUZQP.mjs";n();import{readFileSync as o}from"node:fs";import{join as a}from"node:path";var h=r=>o(a(p().templates,r),"utf8");function u(r,e){let t=r.replace("[Brief Title]",e.title).replace("[unique id, e.g. CS-001]",e.specId).replace("**Architect:** [model name]",`**Architect:** ${e.architect}`).replace("**Created:** [timestamp]",`**Created:** ${e.created}`);if(e.priority&&(t=t.replace("[P0/P1/P2]",e.priority)),e.batch&&e.batch.index===1){let c=String(e.batch.total).padStart(2,"0");t=t.replace(`
## Objective`,`
> [!NOTE]
> **Batch Mode Active.** Implement specs 01 through ${c} sequentially.
> File a single consolidated Code Report when all are complete.

## Objective`)}return t}var s={MODIFY:"Modified",NEW:"Created",DELETE:"Deleted"};function C(r,e){let t=r.replace("[Spec ID]",e.specId).replace("**Coder:** [model name]",`**Coder:** ${e.coder}`).replace("**Completed:** [timestamp]",`**Completed:** ${e.completed}`).replace("[link to code_spec.md]",e.specLink);if(e.files.length){let c=e.files.map(i=>`| \`${i.path}\` | ${s[i.action]} | ${i.lines??"[+N / -N]"} |`).join(`
`);t=t.replace(/\| `path\/to\/file\.rs` \| Modified \| \+25 \/ -10 \|\n\| `path\/to\/new\.rs` \| Created \| \+80 \|/,c)}return t}export{h as a,u as b,C as c};
