import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

/**
 * Creates `file` with `content` only if no other process did first (write a temporary file, then link it: link
 * fails atomically when the name exists). Dev files shared by connectors that start at the same moment (the dev
 * CA, the dev DAPS key) are made exactly once this way. Returns whether this call created it.
 */
export function createOnce(file: string, content: string | Buffer, mode = 0o600): boolean {
  const temp = `${file}.${randomUUID()}.tmp`;
  writeFileSync(temp, content, { mode });
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

/** Waits (synchronously, boot time only) for a file another process is about to create. */
export function readWhenPresent(file: string, timeoutMs = 10_000): Buffer {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear: is another connector stuck creating it?`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  return readFileSync(file);
}
