import { Body, Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ManagedWarehouseReconciliationService } from '@invsync/domain-managed-warehouses';
import { PageQuery } from '../common/paging';
import { ApplyFbaReconciliationDto } from './fba-reconciliation.dto';
import { FbaStalenessService } from './fba-staleness.service';

/** The FBA reconciliation tool: thin routes over the domain service. Nothing is corrected unless asked here. */
@ApiTags('fba reconciliation')
@ApiBearerAuth()
@Controller('channels')
export class FbaReconciliationController {
  constructor(
    private readonly fba: ManagedWarehouseReconciliationService,
    private readonly staleness: FbaStalenessService,
  ) {}

  @Get(':id/fba-discrepancies')
  @ApiOperation({
    summary: "Where the channel's FBA warehouse (in stock) differs from Amazon's fulfillable quantity, per product",
    description:
      'Answers {items:[{productId, sku, skus, amazonQuantity, warehouseQuantity, difference, readAt, stale}], notCompared, readAt, stale, staleAfterMinutes, nextCursor}. ' +
      "Matching products are not listed. 409 when the channel is not channel-fulfilled or has no settings.fbaWarehouseId.",
  })
  @ApiConflictResponse({ description: 'fba-channel-required, fba-warehouse-required' })
  async discrepancies(@Param('id') id: string, @Query() q: PageQuery) {
    const report = await this.fba.discrepancies(id, { staleAfterMs: await this.staleness.staleAfterMs(id), limit: q.limit, cursor: q.cursor });
    return { ...report, items: report.items.map(withApiQuantityName) };
  }

  @Post(':id/fba-reconciliations')
  @ApiOperation({
    summary: 'Apply the selected corrections (1..500 products) as ledger corrections on the FBA warehouse, all in one transaction',
    description:
      'Each selected product becomes a `correction` movement (cause and reason `fba-reconciliation`) of Amazon quantity - warehouse in stock. ' +
      'All or nothing: unknown ids 404; ids not compared on this channel 409; stale data 409 unless allowStale. Products that already match are returned in `unchanged`. ' +
      '201 when movements were written, 200 when nothing needed correcting.',
  })
  @ApiConflictResponse({ description: 'fba-reconciliation-refused, fba-data-stale, fba-warehouse-required, stock-non-negative' })
  async apply(@Param('id') id: string, @Body() body: ApplyFbaReconciliationDto, @Res({ passthrough: true }) res: Response) {
    const result = await this.fba.apply(id, body, { staleAfterMs: await this.staleness.staleAfterMs(id), actor: 'admin-api' });
    res.status(result.movements.length ? HttpStatus.CREATED : HttpStatus.OK);
    return { ...result, corrections: result.corrections.map(withApiQuantityName) };
  }
}

/** The REST name of the channel's quantity in this tool's answers. */
function withApiQuantityName<T extends { channelQuantity: number }>(item: T): Omit<T, 'channelQuantity'> & { amazonQuantity: number } {
  const { channelQuantity, ...rest } = item;
  return { ...rest, amazonQuantity: channelQuantity };
}
