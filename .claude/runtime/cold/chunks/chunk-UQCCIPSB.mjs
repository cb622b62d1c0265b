import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{f as t}from"./chunk-53GFUZQP.mjs";t();function i(n){return n.map((r,e)=>typeof r=="number"||/^\d+$/.test(String(r))?`[${String(r)}]`:`${e?".":""}${String(r)}`).join("")}export{i as a};
