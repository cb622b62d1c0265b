import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{f as n}from"../../chunks/chunk-TNIJATYW.js";n();var c=async(e,r)=>{let{serveMcp:a}=await import("../../chunks/server-SEF3ODKQ.js");return await a({cwd:r.cwd,env:r.env}),0};export{c as runMcp};
