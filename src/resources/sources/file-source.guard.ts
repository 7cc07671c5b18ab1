import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { ConnectorError } from '../../common/connector.error.js';

/**
 * Which local files may be offered as `file` artifacts: only files inside the configured directories
 * (FEP_FILE_SOURCE_DIRS), and never inside the certs or data directory, where the connector keeps its private
 * keys, its admin password and its database. Paths are compared after resolving symbolic links, at registration
 * and again at every read (a link swapped later does not escape).
 */
export interface GuardWording {
  /** The input field a refusal names. */
  field: string;
  /** The setting that lists the allowed directories. */
  setting: string;
  /** What the files are, for the messages ("file sources"). */
  what: string;
}

const FILE_SOURCES: GuardWording = { field: 'sourceLocation', setting: 'FEP_FILE_SOURCE_DIRS', what: 'file sources' };

export class FileSourceGuard {
  constructor(
    private readonly allowed: readonly string[],
    private readonly forbidden: readonly string[],
    private readonly wording: GuardWording = FILE_SOURCES,
  ) {}

  async check(path: string): Promise<string> {
    const { field, setting, what } = this.wording;
    if (this.allowed.length === 0) {
      throw ConnectorError.badInput(field, `${what} are off: set ${setting} to the directories they may be read from`);
    }
    if (!isAbsolute(path)) throw ConnectorError.badInput(field, `${path} must be an absolute path`);
    const real = await realpath(path).catch(() => {
      throw ConnectorError.badInput(field, `${path} is not a readable file`);
    });
    const inside = async (dir: string): Promise<boolean> => {
      const base = await realpath(dir).catch(() => resolve(dir));
      const rel = relative(base, real);
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    };
    for (const dir of this.forbidden) {
      if (await inside(dir)) {
        throw ConnectorError.badInput(field, `${path} is inside the connector's own ${dir}, which is never read for ${what}`);
      }
    }
    for (const dir of this.allowed) if (await inside(dir)) return real;
    throw ConnectorError.badInput(field, `${path} is outside the directories ${what} may use (${setting}: ${this.allowed.join(', ')})`);
  }
}
