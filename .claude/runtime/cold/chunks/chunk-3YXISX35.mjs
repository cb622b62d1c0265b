import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{a as o}from"./chunk-3UUY5JPE.mjs";import{f as m}from"./chunk-53GFUZQP.mjs";m();function l(n){let i=n.models.gemini,e=i.profiles[i.profile]??o[i.profile]??o.gemini;return{...e,command:i.command??e.command,name:i.profile}}export{l as a};
