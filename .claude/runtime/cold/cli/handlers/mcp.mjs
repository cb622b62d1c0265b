import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{f as e}from"../../chunks/chunk-53GFUZQP.mjs";e();var c=async(t,r)=>{let{serveMcp:n}=await import("../../chunks/server-HKTZ23SX.mjs");return await n({cwd:r.cwd,env:r.env}),0};export{c as runMcp};
