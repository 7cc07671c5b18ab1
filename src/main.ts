/**
 * The entry point (`node dist/main.js`). It starts dist/connector.bundle.js when the build made one (`npm run build`:
 * src/bundle.build.mjs), else the compiled modules (dist/connector.main.js: after a `nest build` alone, such as
 * `npm run start:dev`'s, which also empties dist/ first, so no bundle of older sources is left to start).
 *
 * On Node.js 22.1 and later, V8's compile cache is switched on before either loads, so a restart compiles nothing it
 * compiled before. Node 20 has no such cache; there this does nothing. The cache lives in NODE_COMPILE_CACHE, else
 * Node's default under the temp dir.
 */
import { existsSync } from 'node:fs';
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const bundle = new URL('./connector.bundle.js', import.meta.url);
await import(existsSync(bundle) ? bundle.href : './connector.main.js');
