import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{b as g,c as m,d as u}from"./chunk-HDT7D742.mjs";import{a as v}from"./chunk-RQCRZCOJ.mjs";import{a as l}from"./chunk-2CXOFS6I.mjs";import{f}from"./chunk-53GFUZQP.mjs";f();f();var w=`This is part {{part}} of {{parts}} of the diff; review this part only.
`;var y=`You are an independent code reviewer. Review this diff for:
1. Bugs or logic errors
2. Security vulnerabilities (OWASP top 10)
3. Performance regressions
4. Missing error handling
5. Style inconsistencies with surrounding code
Use Google Search if you need to verify API usage or library patterns.
Verdict: LGTM (no issue of medium severity or worse) or ISSUES (with file:line references).
Each line starts with its line number in the NEW file, then "+" (added), "-" (removed; no number) or " " (context). Cite file paths exactly as shown and new-file line ranges.
Review only what is shown; the related-files list gives names for orientation, not code to review.
Give each finding a "confidence" from 0 to 1: how sure you are that it is real (1 = certain, 0.5 = plausible, below 0.3 = a hunch).
{{steer?}}
Reply with ONE JSON object and nothing else (no prose, no code fence), matching this JSON Schema:
{{schema}}

Change: {{compared}}; {{fileCount}} file(s) changed: {{files}}
{{part}}
<<<DIFF
{{diff}}
DIFF>>>
`;var $=`This is the whole diff.
`;var S=`You are an independent reviewer. Review this implementation plan for:
1. Missing edge cases or error scenarios
2. Security gaps in the proposed approach
3. Feasibility concerns (over-engineering, missing dependencies)
4. Task ordering issues (dependency conflicts)
5. Missing test coverage areas
Verdict: PASS (sound as written), CONCERN (with details: fixable issues), BLOCK (with rationale: must not proceed as planned).
Each finding names its area (edge-cases, security, feasibility, ordering, tests, other), a severity, what is wrong and what to change; cite a repository file when one is involved (you may read the repository, do not modify it).
When a finding is about specific lines of the plan, give them as line_start/line_end (the plan's lines are numbered below); otherwise null.
Give each finding a "confidence" from 0 to 1: how sure you are that it is real (1 = certain, 0.5 = plausible, below 0.3 = a hunch).
{{steer?}}
Reply with ONE JSON object and nothing else (no prose, no code fence), matching this JSON Schema:
{{schema}}

Plan ({{planPath}}):
<<<PLAN
{{plan}}
PLAN>>>
`;var b=`Review ADVERSARIALLY: challenge the change instead of confirming it. Look for hidden assumptions, failure modes (bad or hostile input, partial failure, concurrency, scale, upgrades) and simpler alternatives that would make it unnecessary. Give no benefit of the doubt, but every finding needs evidence you can cite.
`;var R=`The user asked you to focus on: {{focus}}
Spend your review there first; still report anything critical you see elsewhere.
`;function D(e){let i=[];e?.adversarial&&i.push(l(b));let n=e?.focus?.trim();return n&&i.push(l(R,{focus:n})),i.join(`
`)}function de(e,i,n){return l(S,{steer:D(n),schema:JSON.stringify(u(g)),planPath:e,plan:M(i)})}function M(e){let i=e.replace(/\n$/,"").split(`
`),n=String(i.length).length;return i.map((t,s)=>`${String(s+1).padStart(n)}| ${t}`).join(`
`)}function x(e){let{chunk:i}=e;return l(y,{steer:D(e.steer),schema:JSON.stringify(u(m)),compared:e.compared,fileCount:String(e.changedFiles.length),files:e.changedFiles.join(", "),part:i.of>1?l(w,{part:String(i.index+1),parts:String(i.of)}):l($),diff:i.text})}async function pe(e){let{packet:i,reviewer:n}=e,t=Date.now();if(i.chunks.length===0)return{reviewer:n,status:"failed",error:"nothing reviewable in the change (binary files only?)",chunks:0,costUsd:null,latencyMs:0};let s=u(m),o=await J(i.chunks,e.concurrency??2,r=>v(e.invoke,n.provider,{prompt:B(e,i,r),model:n.model,effort:n.effort,sandbox:"read-only",schema:s,cwd:e.cwd,task:"pr_cross_review",checkpoint:"pr_cross_review",fallback:!1,timeoutMs:e.timeoutMs},e.ctx,m).finally(()=>e.onChunkDone?.())),a=o.map(r=>r.result.costUsd),c={reviewer:n,chunks:i.chunks.length,costUsd:a.every(r=>r===null)?null:a.reduce((r,T)=>r+(T??0),0),latencyMs:Date.now()-t},d=o.find(r=>!r.ok);if(d&&!d.ok){let r=o.length>1?` (chunk ${o.indexOf(d)+1} of ${o.length})`:"";return{...c,status:d.status,error:`${d.error}${r}`}}let h=[...new Set(o.map(r=>r.result.model))];h.some(r=>r!==n.model)&&Object.assign(c,{answered_by:h});let N=o.map(r=>r.ok?r.value:void 0).filter(r=>r!==void 0);return{...c,status:"ok",verdict:U(N)}}function B(e,i,n){return x({compared:e.compared,changedFiles:e.changedFiles,chunk:{index:n.index,of:i.chunks.length,text:n.text},steer:e.steer})}function U(e){let i=e.flatMap(n=>n.findings);return{verdict:e.some(n=>n.verdict==="ISSUES")?"ISSUES":"LGTM",summary:e.map(n=>n.summary.trim()).filter(Boolean).join(" "),findings:i.sort(G)}}var P={critical:0,high:1,medium:2,low:3,info:4};function G(e,i){return P[e.severity]-P[i.severity]||e.file.localeCompare(i.file)||e.line_start-i.line_start}async function J(e,i,n){let t=new Array(e.length),s=0,o=async()=>{for(;s<e.length;){let a=s++;t[a]=await n(e[a])}};return await Promise.all(Array.from({length:Math.min(i,e.length)},o)),t}function F(e,i,n=3){let t=new Set,s=[],o=[];for(let a of e.findings){let c=i.findings.findIndex((d,h)=>!t.has(h)&&d.file===a.file&&d.line_start<=a.line_end+n&&a.line_start<=d.line_end+n);c===-1?o.push(a):(t.add(c),s.push({a,b:i.findings[c]}))}return{agreements:s,onlyA:o,onlyB:i.findings.filter((a,c)=>!t.has(c)),verdictsAgree:e.verdict===i.verdict}}f();var A=e=>`${e.file}:${e.line_start}${e.line_end!==e.line_start?`-${e.line_end}`:""}`,C=e=>typeof e=="number"?` (confidence ${e.toFixed(2)})`:"",p=e=>`- **${e.severity}** \`${A(e)}\` ${e.detail}${C(e.confidence)}
  \u2192 ${e.recommendation}`,W=e=>e.line_start?` plan line${e.line_end&&e.line_end!==e.line_start?`s ${e.line_start}-${e.line_end}`:` ${e.line_start}`}`:"",Y=e=>`- **${e.severity}** [${e.area}]${W(e)}${e.file?` \`${e.file}\``:""} ${e.detail}${C(e.confidence)}
  \u2192 ${e.recommendation}`,K="This is not a verdict: the review did not run. Do not read it as a pass.";function ye(e,i,n){return[`## Plan review of ${n} by ${i}: ${e.verdict}`,e.summary,"",...e.findings.length?e.findings.map(Y):["No findings."],"","Findings are input for Claude to weigh; nothing was applied."].join(`
`)}function q(e,i,n,t){return[`## ${e} by ${i}: COULD NOT RUN (${n})`,t??"",K].filter(Boolean).join(`
`)}function _(e){let n=`## Diff review by ${e.answered_by?`${e.reviewer.model}, answered by ${e.answered_by.join(" + ")} after a rate limit`:e.reviewer.model} (${e.reviewer.why})`;return e.status!=="ok"||!e.verdict?q("Diff review",e.reviewer.model,e.status,e.error):[`${n}: ${e.verdict.verdict}`,e.verdict.summary,e.chunks>1?`(reviewed in ${e.chunks} chunks, merged)`:"","",...e.verdict.findings.length?e.verdict.findings.map(p):["No findings."]].filter((t,s)=>t!==""||s>0).join(`
`)}function $e(e,i){let n=[_(e),"",_(i),""];if(!e.verdict||!i.verdict)return n.push("## Comparison","Not both reviews ran: nothing to compare. A review that did not run is not a pass."),n.join(`
`);let t=F(e.verdict,i.verdict);return n.push("## Comparison",t.verdictsAgree?`Both say ${e.verdict.verdict}.`:`Verdicts DISAGREE: ${e.reviewer.model} says ${e.verdict.verdict}, ${i.reviewer.model} says ${i.verdict.verdict}.`,"",`### Agreed by both (${t.agreements.length})`,...t.agreements.map(({a:s,b:o})=>`- \`${A(s)}\` ${s.detail} / ${o.detail}`),"",`### Only ${e.reviewer.model} (${t.onlyA.length})`,...t.onlyA.map(p),"",`### Only ${i.reviewer.model} (${t.onlyB.length})`,...t.onlyB.map(p),"","A disagreement about behaviour is settled by tests, not by either model: see `mm referee`."),n.join(`
`)}export{de as a,pe as b,B as c,F as d,K as e,ye as f,q as g,_ as h,$e as i};
