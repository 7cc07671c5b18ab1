/**
 * The entry point (`node dist/main.js`). On Node.js 22.1 and later, V8's compile cache is switched on before the
 * connector's modules load, so a restart compiles nothing it compiled before: most of a boot is module compilation
 * (a CPU profile of a boot here: about 0.6 s of 2.7 s in wrapSafe and compileSourceTextModule). Node 20 has no such
 * cache; there this does nothing. The cache lives in NODE_COMPILE_CACHE, else Node's default under the temp dir.
 */
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import('./connector.main.js');
