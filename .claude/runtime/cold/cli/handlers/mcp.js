import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{f as n}from"../../chunks/chunk-G663VKV4.js";n();var c=async(e,r)=>{let{serveMcp:a}=await import("../../chunks/server-6CP7TG6E.js");return await a({cwd:r.cwd,env:r.env}),0};export{c as runMcp};
