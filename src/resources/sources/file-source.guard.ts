import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { ConnectorError } from '../../common/connector.error.js';

/**
 * Which local files may be offered as `file` artifacts: only files inside the configured directories
 * (FEP_FILE_SOURCE_DIRS), and never inside the certs or data directory, where the connector keeps its private
 * keys, its admin password and its database. Paths are compared after resolving symbolic links, at registration
 * and again at every read (a link swapped later does not escape).
 */
export class FileSourceGuard {
  constructor(
    private readonly allowed: readonly string[],
    private readonly forbidden: readonly string[],
  ) {}

  async check(path: string): Promise<string> {
    if (this.allowed.length === 0) {
      throw ConnectorError.badInput(
        'sourceLocation',
        'file sources are off: set FEP_FILE_SOURCE_DIRS to the directories whose files may be offered',
      );
    }
    if (!isAbsolute(path)) throw ConnectorError.badInput('sourceLocation', `${path} must be an absolute path`);
    const real = await realpath(path).catch(() => {
      throw ConnectorError.badInput('sourceLocation', `${path} is not a readable file`);
    });
    const inside = async (dir: string): Promise<boolean> => {
      const base = await realpath(dir).catch(() => resolve(dir));
      const rel = relative(base, real);
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    };
    for (const dir of this.forbidden) {
      if (await inside(dir)) {
        throw ConnectorError.badInput('sourceLocation', `${path} is inside the connector's own ${dir}, which is never served`);
      }
    }
    for (const dir of this.allowed) if (await inside(dir)) return real;
    throw ConnectorError.badInput(
      'sourceLocation',
      `${path} is outside the directories file sources may use (FEP_FILE_SOURCE_DIRS: ${this.allowed.join(', ')})`,
    );
  }
}
