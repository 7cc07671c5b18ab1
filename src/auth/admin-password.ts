import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The admin password when FEP_ADMIN_PASSWORD is unset: generated once into the data dir (mode 600), so there is
 * never a default password. Returns it and whether it was just created (then the boot log shows it once).
 */
export function ensureAdminPassword(dataDir: string): { password: string; created: boolean; file: string } {
  const file = join(dataDir, 'admin-password');
  if (existsSync(file)) return { password: readFileSync(file, 'utf8').trim(), created: false, file };
  mkdirSync(dataDir, { recursive: true });
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return { password, created: true, file };
}
