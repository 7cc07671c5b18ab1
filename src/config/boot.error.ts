/** A boot failure the operator fixes (a setting, a file, a port): printed as its message alone, no stack. */
export class BootError extends Error {
  override name = 'BootError';
}
