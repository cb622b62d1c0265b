import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{f as h}from"./chunk-53GFUZQP.mjs";h();var a=/\{\{([a-z][\w-]*)\??\}\}/gi,g=/^\{\{([a-z][\w-]*)\?\}\}$/i;function f(e,t={}){let r=e.endsWith(`
`)?e.slice(0,-1):e,o=new Set([...r.matchAll(a)].map(n=>n[1])),s=[...o].filter(n=>!Object.hasOwn(t,n)),c=()=>`prompt template "${r.split(`
`,1)[0].slice(0,60)}\u2026"`;if(s.length)throw new Error(`${c()}: no value for {{${s.join("}}, {{")}}}`);let l=Object.keys(t).filter(n=>!o.has(n));if(l.length)throw new Error(`${c()}: has no placeholder {{${l.join("}}, {{")}}}`);return r.split(`
`).filter(n=>{let i=g.exec(n);return!i||t[i[1]]!==""}).map(n=>n.replace(a,(i,w)=>t[w])).join(`
`)}export{f as a};
