import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{b as u}from"./chunk-VFNTH43P.js";import{f as r}from"./chunk-NORHK75S.js";r();var d=256*1024,E=2e3,a=/^(?:GIT_(?:DIR|WORK_TREE|INDEX_FILE|COMMON_DIR|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|NAMESPACE|PREFIX|CEILING_DIRECTORIES|CONFIG|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+)|OLDPWD|PWD|INIT_CWD)$/;function c(e,s){let o={};for(let[n,t]of Object.entries(e))a.test(n)||(o[n]=t);return{...o,PWD:s,CI:e.CI??"1"}}async function I(e,s,o,n=process.env){let t=await u({command:"sh",args:["-c",e],cwd:s,env:c(n,s),timeoutMs:o,mergeStderr:!0,maxStdoutBytes:d,killGraceMs:E,sweepEscaped:!0}),i=t.spawnError?`${t.stdout}
cannot start sh: ${t.spawnError}
`:t.stdout;return{passed:!t.timedOut&&t.exitCode===0,exitCode:t.exitCode,timedOut:t.timedOut,durationMs:t.durationMs,output:i}}function T(e,s,o=20){let n=e.output.trimEnd().split(`
`).slice(-o).join(`
`),t=e.timedOut?`timed out after ${Math.round(s/1e3)} s`:`exit code ${e.exitCode??"none (killed)"}`;return n?`${t}
${n}`:t}var m=/no test files found|no tests found|collected 0 items|no tests ran|(?:^|\s)0 passing\b|^# tests 0$/im;function R(e){return!e.passed&&!e.timedOut&&m.test(e.output)}export{I as a,T as b,R as c};
