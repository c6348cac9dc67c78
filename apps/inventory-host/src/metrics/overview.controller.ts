import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ListingEntity } from '@invsync/domain-channels';
import { OrderEntity } from '@invsync/domain-orders';
import { TransactionRunner } from '@invsync/domain-shared';
import { ProductChangeEntity } from '@invsync/domain-stock';

export class ListingCountResponse {
  @ApiProperty() channelId: string;
  @ApiProperty({ enum: ['merchant', 'channel'] }) fulfilment: string;
  @ApiProperty({ enum: ['pending', 'sent', 'synced', 'error', 'disabled', 'conflict'], description: 'The stored sync status' }) status: string;
  @ApiProperty() count: number;
}

export class OverviewResponse {
  @ApiProperty({ type: [ListingCountResponse], description: 'Listings per channel, fulfilment and stored status' }) listings: ListingCountResponse[];
  @ApiProperty({ description: 'Listings waiting to be recomputed and sent (the backlog)' }) dirtyListings: number;
  @ApiProperty({ description: 'Stock change signals not yet turned into dirty marks' }) pendingChanges: number;
  @ApiProperty({ description: 'Orders kept parked (GET /api/v1/orders?status=parked)' }) parkedOrders: number;
}

/**
 * The numbers the admin console's overview shows, read from the database (the JSON twin of the
 * sync gauges of /metrics, per channel).
 */
@ApiTags('health')
@ApiBearerAuth()
@Controller('overview')
export class OverviewController {
  constructor(private readonly tx: TransactionRunner) {}

  @Get()
  @ApiOkResponse({ type: OverviewResponse })
  @ApiOperation({ summary: 'Listings by channel and status, the backlog of dirty listings, pending change signals and parked orders' })
  overview(): Promise<OverviewResponse> {
    return this.tx.read(async (em) => {
      const rows = await em
        .getRepository(ListingEntity)
        .createQueryBuilder('l')
        .select('l.channelId', 'channelId')
        .addSelect('l.fulfilment', 'fulfilment')
        .addSelect('l.status', 'status')
        .addSelect('COUNT(*)', 'n')
        .groupBy('l.channelId')
        .addGroupBy('l.fulfilment')
        .addGroupBy('l.status')
        .getRawMany<{ channelId: string; fulfilment: string; status: string; n: string | number }>();
      return {
        listings: rows.map((r) => ({ channelId: r.channelId, fulfilment: r.fulfilment, status: r.status, count: Number(r.n) })),
        dirtyListings: await em.getRepository(ListingEntity).countBy({ dirty: true }),
        pendingChanges: await em.getRepository(ProductChangeEntity).count(),
        parkedOrders: await em.getRepository(OrderEntity).countBy({ status: 'parked' }),
      };
    });
  }
}
