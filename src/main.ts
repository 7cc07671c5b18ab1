/**
 * The entry point (`node dist/main.js`). On Node.js 22.1 and later, V8's compile cache is switched on before the
 * connector's modules load, so a restart compiles nothing it compiled before: module compilation is the largest
 * part of a boot (`node --cpu-prof dist/main.js`: wrapSafe and compileSourceTextModule on top). Node 20 has no such
 * cache; there this does nothing. The cache lives in NODE_COMPILE_CACHE, else Node's default under the temp dir.
 */
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import('./connector.main.js');
