import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{f as o}from"./chunk-53GFUZQP.mjs";o();import{createRequire as r}from"node:module";var p,e=t=>(p??=r(import.meta.url))(t),d=()=>e("node:crypto"),c=()=>e("node:child_process");export{d as a,c as b};
