import { readFile } from 'node:fs/promises';
import { FileSourceGuard } from '../resources/sources/file-source.guard.js';

/** Largest secret file read (a password, a token). */
const MAX_SECRET_BYTES = 64 * 1024;

/**
 * Secret files data apps may read (a camera's `passwordFile`): only inside FEP_APPS_SECRET_DIRS, never inside the
 * certs or data directory (where the connector keeps its private keys, its admin password and its database),
 * symbolic links resolved, checked at every read. Without it an admin credential could send the dev CA's private
 * key to a camera of its choice as a Basic password.
 */
export class SecretFiles {
  private readonly guard: FileSourceGuard;

  constructor(allowed: readonly string[], forbidden: readonly string[]) {
    this.guard = new FileSourceGuard(allowed, forbidden, { field: 'passwordFile', setting: 'FEP_APPS_SECRET_DIRS', what: 'password files' });
  }

  /** The file's text without its final line break; BAD_INPUT naming `field` when it may not be read. */
  async read(path: string, field: string): Promise<string> {
    const real = await this.guard.check(path).catch((error: unknown) => {
      if (error instanceof Error && 'field' in error) Object.assign(error, { field });
      throw error;
    });
    const text = await readFile(real, 'utf8');
    if (Buffer.byteLength(text) > MAX_SECRET_BYTES) throw new Error(`${path} is larger than a secret file may be (${MAX_SECRET_BYTES} bytes)`);
    return text.replace(/\r?\n$/, '');
  }
}
