import { LessThan, type EntityManager } from 'typeorm';
import { SeenMessageEntity } from './entities/seen-message.entity.js';
import { ReplayGuard } from './replay.guard.js';

/** PostgreSQL unique violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * Replay protection shared by the instances of one connector on one PostgreSQL store: the primary key decides,
 * so two instances receiving the same message at once accept it exactly once. Expired ids are swept now and then.
 */
export class DatabaseReplayGuard extends ReplayGuard {
  private inserts = 0;

  constructor(private readonly manager: EntityManager) {
    super();
  }

  async firstSeen(id: string, untilMs: number, nowMs: number): Promise<boolean> {
    if (++this.inserts % 500 === 0) await this.manager.delete(SeenMessageEntity, { expires: LessThan(nowMs) });
    try {
      await this.manager.insert(SeenMessageEntity, { id, expires: untilMs });
      return true;
    } catch (error) {
      const code = (error as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string }).code;
      if (code === UNIQUE_VIOLATION) return false;
      throw error;
    }
  }
}
