import { chunk, MAX_SQL_PARAMS, queryNamed, tableRef } from '@invsync/domain-shared';
import type { EntityManager } from 'typeorm';
import { ListingEntity } from '../persistence/listing.entity';

const EPOCH = '1970-01-01T00:00:00.000Z';

/**
 * Marks listings dirty, always inside the caller's transaction, so the mark commits with the change
 * that caused it. `change_seq` versions the desired value; `dirty_since` starts the coalescing
 * window only when a listing goes from clean to dirty.
 */
export class ChangeTracker {
  private setClause(opts: { force?: boolean; immediate?: boolean }) {
    return `dirty = true,
      dirty_since = ${opts.immediate ? ':epoch' : 'CASE WHEN dirty = true AND dirty_since IS NOT NULL THEN dirty_since ELSE :now END'},
      change_seq = change_seq + 1,
      ${opts.force ? 'force_send = true, force_seq = change_seq + 1,' : ''}
      next_attempt_at = ${opts.immediate ? 'NULL' : 'next_attempt_at'}`;
  }

  /** Every merchant-fulfilled listing of these products (the stock change signal). */
  async markProducts(em: EntityManager, productIds: string[], now: string): Promise<void> {
    const t = tableRef(em, ListingEntity);
    for (const ids of chunk([...new Set(productIds)], MAX_SQL_PARAMS - 10)) {
      await queryNamed(em, `UPDATE ${t} SET ${this.setClause({})} WHERE product_id IN (:...ids) AND fulfilment = 'merchant'`, { ids, now, epoch: EPOCH });
    }
  }

  /** Every merchant-fulfilled listing of a channel (settings changed, sync re-activated, nightly). */
  async markChannel(em: EntityManager, channelId: string, now: string, opts: { force?: boolean; immediate?: boolean } = {}): Promise<void> {
    const t = tableRef(em, ListingEntity);
    await queryNamed(em, `UPDATE ${t} SET ${this.setClause(opts)} WHERE channel_id = :channelId AND fulfilment = 'merchant'`, {
      channelId,
      now,
      epoch: EPOCH,
    });
  }

  /** Specific listings (connection, override change, nightly differences). */
  async markListings(em: EntityManager, listingIds: string[], now: string, opts: { force?: boolean; immediate?: boolean } = {}): Promise<void> {
    const t = tableRef(em, ListingEntity);
    for (const ids of chunk([...new Set(listingIds)], MAX_SQL_PARAMS - 10)) {
      await queryNamed(em, `UPDATE ${t} SET ${this.setClause(opts)} WHERE id IN (:...ids) AND fulfilment = 'merchant'`, { ids, now, epoch: EPOCH });
    }
  }
}
