import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { inTransaction, write } from './transaction.runner.js';

@Entity('notes')
class NoteEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'text' }) text!: string;
}

describe('the one write path on SQLite (real database file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-tx-'));
  const source = new DataSource({
    type: 'sqlite',
    database: join(dir, 'test.sqlite'),
    entities: [NoteEntity],
    synchronize: true,
    enableWAL: true,
  });
  before(async () => {
    await source.initialize();
  });
  after(async () => {
    await source.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a write issued while another request's transaction is open waits for it, and survives its rollback", async () => {
    // Hardening finding 15: statements outside the queue ran on the one connection, inside the open transaction.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    const failing = inTransaction(source.manager, async (tx) => {
      await tx.insert(NoteEntity, { id: 'business', text: 'rolled back' });
      opened();
      await gate;
      throw new Error('the action failed');
    });
    await isOpen;
    const audit = write(source.manager, (m) => m.insert(NoteEntity, { id: 'audit', text: 'kept' }));
    release();
    await assert.rejects(failing, /the action failed/);
    await audit;
    const ids = (await source.manager.find(NoteEntity, { order: { id: 'ASC' } })).map((n) => n.id);
    assert.deepEqual(ids, ['audit']);
  });

  it('work already inside a transaction runs there, without waiting for the queue it holds', async () => {
    const result = await inTransaction(source.manager, async (tx) => {
      await write(tx, (m) => m.insert(NoteEntity, { id: 'nested', text: 'in the same transaction' }));
      return inTransaction(tx, (inner) => inner.countBy(NoteEntity, { id: 'nested' }));
    });
    assert.equal(result, 1);
  });
});
