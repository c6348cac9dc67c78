import { CatalogService } from '@invsync/domain-catalog';
import { ChannelSyncService, ListingService } from '@invsync/domain-channels';
import { StockLedgerService, WarehouseService } from '@invsync/domain-stock';
import { Injectable } from '@nestjs/common';
import { formatComponents } from './csv-columns';

const PAGE = 1000;

/**
 * The rows of each export, read page by page (keyset cursors) so a large catalog is never held in
 * memory; the columns are the imports' so an export imports back unchanged.
 */
@Injectable()
export class CsvExportService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly ledger: StockLedgerService,
    private readonly warehouses: WarehouseService,
    private readonly channels: ChannelSyncService,
    private readonly listingService: ListingService,
  ) {}

  async *products(): AsyncGenerator<Record<string, string>> {
    let cursor: string | undefined;
    do {
      const page = await this.catalog.list({ limit: PAGE, cursor });
      const refs = await this.catalog.getRefs(page.items.flatMap((p) => [...(p.parentId ? [p.parentId] : []), ...p.components.map((c) => c.productId)]));
      for (const p of page.items) {
        yield {
          sku: p.sku,
          name: p.name,
          kind: p.kind,
          parentSku: p.parentId ? (refs.get(p.parentId)?.sku ?? '') : '',
          // By SKU, so the same recipe reads the same in every database.
          components: formatComponents(p.components.map((c) => ({ sku: refs.get(c.productId)?.sku ?? c.productId, quantity: c.quantity })).sort((x, y) => (x.sku < y.sku ? -1 : x.sku > y.sku ? 1 : 0))),
        };
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  async *stockLevels(): AsyncGenerator<Record<string, string | number>> {
    let cursor: string | undefined;
    do {
      const page = await this.ledger.levelPage({ limit: PAGE, cursor });
      const products = await this.catalog.getRefs(page.items.map((l) => l.productId));
      const warehouses = await this.warehouses.getMany(page.items.map((l) => l.warehouseId));
      for (const l of page.items) yield { sku: products.get(l.productId)?.sku ?? l.productId, warehouse: warehouses.get(l.warehouseId)?.code ?? l.warehouseId, quantity: l.inStock };
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  async *listings(): AsyncGenerator<Record<string, string>> {
    const channels = await this.channels.list();
    const named = (name: string) => channels.filter((c) => c.name.trim() === name.trim()).length === 1;
    for (const channel of channels) {
      // A channel's name identifies it in another database too; its id only where the name is shared.
      const label = named(channel.name) ? channel.name.trim() : channel.id;
      let cursor: string | undefined;
      do {
        const page = await this.listingService.listByChannel(channel.id, PAGE, cursor);
        const products = await this.catalog.getRefs(page.items.map((l) => l.productId));
        for (const l of page.items) yield { channel: label, sku: l.sku, productSku: products.get(l.productId)?.sku ?? l.productId };
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
  }
}
