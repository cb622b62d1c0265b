import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{e as i,f as o}from"./chunk-XH7BKLCY.mjs";import{f as e}from"./chunk-53GFUZQP.mjs";e();async function l(t,a){let n=(await i(["apply","--check",a],t)).code===0?[]:["--3way"];if(n.length){let r=await i(["apply","--check","--3way",a],t);if(r.code!==0)return{ok:!1,reason:r.stderr.trim().split(`
`)[0]??"git apply failed"}}return await o(["apply",...n,a],t),{ok:!0}}export{l as a};
