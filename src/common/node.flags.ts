/**
 * The V8 flags the connector process runs with: `npm start` (package.json), the image's CMD (docker/Dockerfile), the
 * demo pair's processes and the tests' and benches' connector processes (test/docker.spec.ts checks the first two
 * name exactly these). They must be on the command line: V8 sizes its heap when the isolate is created, so
 * `v8.setFlagsFromString` at run time no longer changes it.
 *
 * `--max-semi-space-size`: V8's young generation is two semi-spaces that grow up to 16 MiB each on 64-bit, and after
 * a boot (it loads every module of the connector) they keep that size, mostly empty, until V8's memory reducer
 * shrinks them, which it does only once the process has been idle for a while (a node whose apps keep it busy may
 * wait long). At 4 MiB the young generation never holds more, and is scavenged more often with less to copy each
 * time. `npm run bench` (section "exchange") measures the RSS with these flags and, in the same run, without them,
 * just started and settled, next to the exchange rates they give.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
