import { Body, Controller, Get, HttpStatus, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CorrectionResponse, CorrectionResultResponse, DiscrepancyReportResponse, DiscrepancyResponse } from './managed-warehouse.responses';
import type { Response } from 'express';
import { ManagedWarehouseReconciliationService } from '@invsync/domain-managed-warehouses';
import { PageQuery } from '../common/paging';
import { type ApiVocabulary, ApiVocabularyService, HOST_VOCABULARY, withQuantityField } from '../channels/api-vocabulary';
import { ApplyCorrectionsDto } from './managed-warehouse.dto';
import { ManagedStockStalenessService } from './staleness.service';

const TOOL_PARAM = {
  name: 'tool',
  description: `\`${HOST_VOCABULARY.managedWarehouseTool}\` for every channel-fulfilled channel, or the name its channel type gives the tool (vocabulary.managedWarehouseTool in GET /api/v1/plugins)`,
};

/**
 * The reconciliation tool of a channel-managed warehouse: thin routes over the domain service, under
 * the host's name and the one the channel type gives it. Nothing is corrected unless asked here.
 */
@ApiTags('managed-warehouse reconciliation')
@ApiExtraModels(DiscrepancyResponse, CorrectionResponse)
@ApiBearerAuth()
@Controller('channels')
export class ManagedWarehouseController {
  constructor(
    private readonly tool: ManagedWarehouseReconciliationService,
    private readonly staleness: ManagedStockStalenessService,
    private readonly vocabulary: ApiVocabularyService,
  ) {}

  @Get(':id/:tool-discrepancies')
  @ApiParam(TOOL_PARAM)
  @ApiOperation({
    summary: "Where the channel's managed warehouse (in stock) differs from the quantity the channel reports, per product",
    description:
      'Answers {items:[{productId, sku, skus, <channel quantity>, warehouseQuantity, difference, readAt, stale}], notCompared, readAt, stale, staleAfterMinutes, nextCursor}; ' +
      'the channel quantity is named by the channel type (vocabulary.channelQuantityField, default channelQuantity). ' +
      'Matching products are not listed. 409 when the channel is not channel-fulfilled or has no managed warehouse.',
  })
  @ApiOkResponse({ type: DiscrepancyReportResponse })
  @ApiConflictResponse({ description: 'channel-fulfilled-required, managed-warehouse-required' })
  async discrepancies(@Param('id') id: string, @Param('tool') tool: string, @Query() q: PageQuery) {
    const words = await this.wordsFor(id, tool);
    const report = await this.tool.discrepancies(id, { staleAfterMs: await this.staleness.staleAfterMs(id), limit: q.limit, cursor: q.cursor });
    return { ...report, items: report.items.map((i) => withQuantityField(i, words)) };
  }

  @Post(':id/:tool-reconciliations')
  @ApiParam(TOOL_PARAM)
  @ApiOperation({
    summary: 'Apply the selected corrections (1..500 products) as ledger corrections on the managed warehouse, all in one transaction',
    description:
      'Each selected product becomes a `correction` movement (cause and reason `managed-warehouse-reconciliation`) of channel quantity - warehouse in stock. ' +
      'All or nothing: unknown ids 404; ids not compared on this channel 409; stale data 409 unless allowStale. Products that already match are returned in `unchanged`. ' +
      '201 when movements were written, 200 when nothing needed correcting.',
  })
  @ApiCreatedResponse({ type: CorrectionResultResponse, description: 'Movements were written' })
  @ApiOkResponse({ type: CorrectionResultResponse, description: 'Nothing needed correcting' })
  @ApiConflictResponse({ description: 'reconciliation-refused, channel-quantities-stale, managed-warehouse-required, stock-non-negative' })
  async apply(@Param('id') id: string, @Param('tool') tool: string, @Body() body: ApplyCorrectionsDto, @Res({ passthrough: true }) res: Response) {
    const words = await this.wordsFor(id, tool);
    const result = await this.tool.apply(id, body, { staleAfterMs: await this.staleness.staleAfterMs(id), actor: 'admin-api' });
    res.status(result.movements.length ? HttpStatus.CREATED : HttpStatus.OK);
    return { ...result, corrections: result.corrections.map((c) => withQuantityField(c, words)) };
  }

  /** The channel's words; a tool name that is neither the host's nor the channel type's is no route (404). */
  private async wordsFor(channelId: string, tool: string): Promise<ApiVocabulary> {
    const words = await this.vocabulary.ofChannel(channelId);
    if (tool !== HOST_VOCABULARY.managedWarehouseTool && tool !== words.managedWarehouseTool) {
      throw new NotFoundException(`Cannot find ${tool}-discrepancies or ${tool}-reconciliations for this channel: its tool is "${words.managedWarehouseTool}"`);
    }
    return words;
  }
}
