/**
 * A strict fake for unit specs: it has exactly the members given, and any other member a service reaches for
 * fails the test at once with its name (a fake that silently answers `undefined` hides what the service really
 * depends on).
 */
/** What Nest and promises look for on any value; absent on a fake is the honest answer. */
const PROBED = new Set([
  'then',
  'constructor',
  'onModuleInit',
  'onApplicationBootstrap',
  'onModuleDestroy',
  'beforeApplicationShutdown',
  'onApplicationShutdown',
]);

export function strictFake<T extends object>(name: string, members: Partial<T>): T {
  return new Proxy(members as T, {
    get(target, property, receiver) {
      if (property in target || typeof property === 'symbol' || PROBED.has(property)) {
        return Reflect.get(target, property, receiver) as unknown;
      }
      throw new Error(`${name}.${String(property)} was used, but the fake does not provide it`);
    },
  });
}

/** Records each call of a function, and answers with `impl`. */
export function recorder<A extends unknown[], R>(impl: (...args: A) => R): ((...args: A) => R) & { calls: A[] } {
  const calls: A[] = [];
  const fn = (...args: A): R => {
    calls.push(args);
    return impl(...args);
  };
  return Object.assign(fn, { calls });
}
