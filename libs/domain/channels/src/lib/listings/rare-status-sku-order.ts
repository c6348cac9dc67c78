import { queryNamed, startsWith, tableRef, toInt } from '@invsync/domain-shared';
import type { EntityManager } from 'typeorm';
import { ListingEntity } from '../persistence/listing.entity';

/** Up to this many listings of a channel, a status filter in SKU order reads them by status and sorts them (SQLite). */
export const RARE_STATUS_ROWS = 2000;

/**
 * Live Listings in SKU order with a status filter, on SQLite. Left to itself SQLite walks the SKU
 * index over the whole prefix range and checks the status on each row: a rare status (errors,
 * conflicts: a few hundred rows in a million) never fills a page, so every request reads the range.
 * When the status is rare, each alternative (alias `l`, from `merchantStatusWhere`) is read through
 * the status index instead, `+` keeping the SKU index out, and the database sorts the few matches
 * and keeps a page; PostgreSQL's planner makes that choice by itself.
 */
export async function rareStatusInSkuOrder(
  em: EntityManager,
  channelId: string,
  alternatives: readonly string[],
  prefixKey: string,
): Promise<((after: string, limit: number) => { where: string; params: Record<string, string> }) | undefined> {
  if (em.connection.options.type === 'postgres' || !alternatives.length) return undefined;
  const table = tableRef(em, ListingEntity);
  const select = (w: string, extra = '') => `SELECT l.id, l.sku_key FROM ${table} l WHERE l.channel_id = :channelId AND (${w})${extra}`;
  const [{ n }] = await queryNamed<{ n: unknown }>(
    em,
    `SELECT count(*) AS n FROM (SELECT 1 FROM (${alternatives.map((w) => select(w)).join(' UNION ALL ')}) LIMIT ${RARE_STATUS_ROWS + 1})`,
    { channelId },
  );
  if (toInt(n) > RARE_STATUS_ROWS) return undefined;
  const prefix = startsWith(em, '+l.sku_key', prefixKey, 'rarePrefix');
  return (after, limit) => {
    const union = alternatives.map((w) => select(w, ` AND ${prefix.where}${after ? ' AND +l.sku_key > :rareAfter' : ''}`)).join(' UNION ALL ');
    return { where: `id IN (SELECT id FROM (${union}) ORDER BY sku_key LIMIT ${limit})`, params: { channelId, ...prefix.params, ...(after ? { rareAfter: after } : {}) } };
  };
}
