import type { DataSource } from 'typeorm';

export interface FloorRow {
  id: string;
  quantity: number;
  channelQuantity: number | null;
}

/**
 * The floor of B1: one hand-written SQL statement computing every merchant listing's quantity and
 * returning those that differ from what the channel last showed (read at or after `since`; a listing
 * seen in its channel's latest read has no read time of its own and takes the channel's).
 * Written independently of the engine (LEFT JOINs with zero for missing levels instead of counting
 * components), so it also checks the engine's result:
 * - on hand per (warehouse set, product): stock products SUM(in_stock - allocated) over the set;
 *   bundles MIN(floor(on hand / qty)) per warehouse, then summed; clamped at 0;
 * - then the rules, listing overrides over channel values (a JSON null override clears the rule):
 *   zero at or below, reserve, percentage (rounded down), maximum.
 * Warehouse sets are computed once per distinct set, not once per channel (nine EU channels share one).
 */
export function floorSql(engine: 'sqlite' | 'postgres'): string {
  const pg = engine === 'postgres';
  const sets = pg
    ? `SELECT DISTINCT c.on_hand_warehouse_ids AS wset, j.value AS warehouse_id FROM channel c CROSS JOIN LATERAL jsonb_array_elements_text(c.on_hand_warehouse_ids::jsonb) AS j(value)`
    : `SELECT DISTINCT c.on_hand_warehouse_ids AS wset, j.value AS warehouse_id FROM channel c, json_each(c.on_hand_warehouse_ids) j`;
  const rule = (k: string) =>
    pg
      ? `CASE WHEN l.overrides::jsonb ? '${k}' THEN (l.overrides::jsonb ->> '${k}')::int ELSE (c.rules::jsonb ->> '${k}')::int END`
      : `CASE WHEN json_type(l.overrides, '$.${k}') IS NOT NULL THEN json_extract(l.overrides, '$.${k}') ELSE json_extract(c.rules, '$.${k}') END`;
  return `
WITH ws AS (${sets}),
stock AS (
  SELECT ws.wset, sl.product_id, SUM(sl.in_stock - sl.allocated) AS on_hand
    FROM ws JOIN stock_level sl ON sl.warehouse_id = ws.warehouse_id
   GROUP BY ws.wset, sl.product_id
),
bundle_wh AS (
  SELECT ws.wset, bc.bundle_id, ws.warehouse_id,
         MIN(COALESCE(sl.in_stock - sl.allocated, 0) / bc.quantity) AS can_make
    FROM ws CROSS JOIN bundle_component bc
    LEFT JOIN stock_level sl ON sl.product_id = bc.component_id AND sl.warehouse_id = ws.warehouse_id
   GROUP BY ws.wset, bc.bundle_id, ws.warehouse_id
),
bundle AS (
  SELECT wset, bundle_id AS product_id, SUM(CASE WHEN can_make > 0 THEN can_make ELSE 0 END) AS on_hand
    FROM bundle_wh GROUP BY wset, bundle_id
),
on_hand AS (SELECT wset, product_id, on_hand FROM stock UNION ALL SELECT wset, product_id, on_hand FROM bundle),
ruled AS (
  SELECT l.id, l.remote_quantity, CASE WHEN l.remote_quantity IS NULL THEN NULL ELSE COALESCE(l.remote_read_at, c.remote_read_at) END AS remote_read_at,
         CASE WHEN COALESCE(oh.on_hand, 0) < 0 THEN 0 ELSE COALESCE(oh.on_hand, 0) END AS base,
         ${rule('zeroAtOrBelow')} AS z, ${rule('reserve')} AS r, ${rule('percentage')} AS p, ${rule('maxQuantity')} AS m
    FROM listing l
    JOIN channel c ON c.id = l.channel_id
    LEFT JOIN on_hand oh ON oh.wset = c.on_hand_warehouse_ids AND oh.product_id = l.product_id
   WHERE l.fulfilment = 'merchant' AND c.fulfilment = 'merchant' AND l.sync_enabled = true AND c.sync_enabled = true AND l.status <> 'conflict'
),
q1 AS (SELECT id, remote_quantity, remote_read_at, r, p, m, CASE WHEN z IS NOT NULL AND base <= z THEN 0 ELSE base END AS q FROM ruled),
q2 AS (SELECT id, remote_quantity, remote_read_at, p, m, CASE WHEN r IS NULL THEN q WHEN q - r < 0 THEN 0 ELSE q - r END AS q FROM q1),
q3 AS (SELECT id, remote_quantity, remote_read_at, m, CASE WHEN p IS NULL THEN q ELSE (q * p) / 100 END AS q FROM q2),
q4 AS (SELECT id, remote_quantity, remote_read_at, CASE WHEN m IS NOT NULL AND q > m THEN m ELSE q END AS q FROM q3)
SELECT id, q AS quantity, CASE WHEN remote_read_at >= ${pg ? '$1' : '?'} THEN remote_quantity ELSE NULL END AS channel_quantity
  FROM q4
 WHERE remote_quantity IS NULL OR remote_read_at IS NULL OR remote_read_at < ${pg ? '$1' : '?'} OR remote_quantity <> q`;
}

/** Runs the floor; `since`: the start of the read-back the engine stored (older reads count as unknown). */
export async function runFloor(ds: DataSource, since: string): Promise<FloorRow[]> {
  const pg = ds.options.type === 'postgres';
  const rows = (await ds.query(floorSql(pg ? 'postgres' : 'sqlite'), pg ? [since] : [since, since])) as { id: string; quantity: unknown; channel_quantity: unknown }[];
  return rows.map((r) => ({ id: r.id, quantity: Number(r.quantity), channelQuantity: r.channel_quantity === null ? null : Number(r.channel_quantity) }));
}
