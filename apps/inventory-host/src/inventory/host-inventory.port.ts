import { AvailabilityService } from '@invsync/domain-availability';
import { CatalogService } from '@invsync/domain-catalog';
import { Injectable } from '@nestjs/common';
import { InventoryPort } from '../plugins/host-ports';

/** What plugins read through `context.inventory`: on hand and SKU lookup, set-based. */
@Injectable()
export class HostInventoryPort extends InventoryPort {
  constructor(
    private readonly availability: AvailabilityService,
    private readonly catalog: CatalogService,
  ) {
    super();
  }

  onHand(query: { productIds: string[]; warehouseIds: string[] }): Promise<Map<string, number>> {
    return this.availability.onHand(query.productIds, query.warehouseIds);
  }

  /** Keyed by the SKU exactly as given; the SKU rule (trim, case-insensitive) applies. */
  async findProductsBySku(skus: string[]): Promise<Map<string, { productId: string; kind: string }>> {
    const found = await this.catalog.findBySkus(skus);
    return new Map([...found].map(([sku, p]) => [sku, { productId: p.id, kind: p.kind }]));
  }
}
