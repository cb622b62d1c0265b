import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{f as c}from"./chunk-NZ422GQC.js";c();function u(t){let s=t.split(`
`),e=[],n=[],f="",r=()=>{n.length&&(f||n.some(i=>i.trim()))&&e.push({path:f,text:n.join(`
`)})};for(let i of s)if(i.startsWith("diff --git ")){r(),n=[i];let o=/^diff --git a\/(.+?) b\/(.+)$/.exec(i);f=o?o[2]:i.slice(11)}else n.push(i),i.startsWith("+++ ")&&i!=="+++ /dev/null"&&(f=i.slice(4).replace(/^b\//,""));return r(),e}function l(t,s){let e=[],n="";for(let f of u(t))n&&n.length+f.text.length+1>s&&(e.push(n),n=""),n=n?`${n}
${f.text}`:f.text;return n&&e.push(n),e}function h(t){return t.length===1?t[0]:t.map((s,e)=>`## Part ${e+1} of ${t.length}

${s.trim()}`).join(`

`)}function x(t,s){let e=t.indexOf("diff --git "),n=s*4;if(e<0||t.length-e<=n)return[t];let f=t.slice(0,e),r=l(t.slice(e),n);return r.length<2?[t]:r.map((i,o)=>`${f}(Part ${o+1} of ${r.length} of the diff; answer for this part only.)

${i}`)}function g(t,s=""){if(t.every(Array.isArray))return{value:t.flat()};if(t.every(n=>n&&typeof n=="object"&&!Array.isArray(n))){let n={},f=[...new Set(t.flatMap(r=>Object.keys(r)))];for(let r of f){let i=g(t.map(o=>o[r]).filter(o=>o!==void 0),s?`${s}.${r}`:r);if("conflict"in i)return i;n[r]=i.value}return{value:n}}let e=new Set(t.map(n=>JSON.stringify(n)));return e.size<=1?{value:t[0]}:{conflict:`${s||"(root)"}: ${[...e].join(" vs ")}`}}export{u as a,h as b,x as c,g as d};
