import type { ListingRowInput } from '@invsync/domain-channels';
import type { ProductKind, ProductRowInput } from '@invsync/domain-catalog';
import type { LevelTarget } from '@invsync/domain-stock';
import { type CsvColumns, type CsvRecord, intCell } from './csv-format';

// The three CSV kinds: their columns (import and export use the same) and how a record becomes the
// domain's input. Cells are passed on as given; the domain's rules report what is wrong with them.

export const PRODUCT_COLUMNS: CsvColumns = { required: ['sku', 'name', 'kind'], optional: ['parentSku', 'components'] };
export const STOCK_LEVEL_COLUMNS: CsvColumns = { required: ['sku', 'warehouse', 'quantity'], optional: [] };
export const LISTING_COLUMNS: CsvColumns = { required: ['channel', 'sku', 'productSku'], optional: [] };

/** `components`: `SKU:quantity` pairs separated by `;` (the last `:` separates, so a SKU may hold one). */
export function toProductRow({ values: v }: CsvRecord): ProductRowInput {
  const recipe = (v['components'] ?? '').trim();
  return {
    sku: v['sku'],
    name: v['name'],
    kind: v['kind'].trim() as ProductKind,
    parentSku: v['parentSku']?.trim() || null,
    components: recipe
      ? recipe.split(';').map((part) => {
          const at = part.lastIndexOf(':');
          return at < 0 ? { sku: part, quantity: Number.NaN } : { sku: part.slice(0, at), quantity: intCell(part.slice(at + 1)) };
        })
      : null,
  };
}

export function formatComponents(components: { sku: string; quantity: number }[]): string {
  return components.map((c) => `${c.sku}:${c.quantity}`).join(';');
}

export const toLevelTarget = ({ values: v }: CsvRecord): LevelTarget => ({ sku: v['sku'], warehouse: v['warehouse'], inStock: intCell(v['quantity']) });

export const toListingRow = ({ values: v }: CsvRecord): ListingRowInput => ({ channel: v['channel'], sku: v['sku'], productSku: v['productSku'] });
