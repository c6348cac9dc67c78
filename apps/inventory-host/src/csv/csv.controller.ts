import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LISTING_COLUMNS, PRODUCT_COLUMNS, STOCK_LEVEL_COLUMNS } from './csv-columns';
import { CsvExportService } from './csv-export';
import { csvBodyOf } from './csv-http';
import type { CsvColumns } from './csv-format';
import { CsvImportService } from './csv-import.service';
import { CsvImportQuery, CsvRowErrorsResponse, ListingImportResult, ProductImportResult, StockLevelImportResult } from './csv.dto';

const CSV_BODY = { schema: { type: 'string', example: 'sku,name,kind,parentSku,components\nMUG,Mug,stock,,\n' } };
const ROW_ERRORS = { type: CsvRowErrorsResponse, description: 'Rows breaking a rule, each with its row and column; nothing was written' };
const ALL_OR_NOTHING = 'All or nothing in one transaction; ?dryRun=true checks everything and writes nothing. A file that cannot be read or has a wrong header: 400; rows breaking rules: 422 listing {row, field, message}; another content type: 415.';

/** CSV in and out for merchants who keep their catalog in spreadsheets. Exports stream; imports take `text/csv`. */
@ApiTags('csv')
@ApiBearerAuth()
@Controller()
export class CsvController {
  constructor(
    private readonly imports: CsvImportService,
    private readonly exports: CsvExportService,
  ) {}

  @Post('products/import')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create products from CSV: sku,name,kind[,parentSku][,components]', description: `components: "SKU:quantity;SKU:quantity". Rows may refer to each other in any order; rows equal to an existing product are unchanged, rows that would change one are refused. ${ALL_OR_NOTHING}` })
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiOkResponse({ type: ProductImportResult })
  @ApiUnprocessableEntityResponse(ROW_ERRORS)
  importProducts(@Body() body: unknown, @Headers('content-type') type: string | undefined, @Query() q: CsvImportQuery) {
    return this.imports.products(csvBodyOf(type, body), q.dryRun === 'true');
  }

  @Post('stock-levels/import')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set in-stock levels from CSV: sku,warehouse,quantity', description: `warehouse: its code. Each level is brought to the quantity by a goods-in (empty level) or a correction (cause csv-import); a level already there books nothing; a quantity below what is allocated is refused. ${ALL_OR_NOTHING}` })
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiOkResponse({ type: StockLevelImportResult })
  @ApiUnprocessableEntityResponse(ROW_ERRORS)
  importStockLevels(@Body() body: unknown, @Headers('content-type') type: string | undefined, @Query() q: CsvImportQuery) {
    return this.imports.stockLevels(csvBodyOf(type, body), q.dryRun === 'true');
  }

  @Post('listings/import')
  @HttpCode(200)
  @ApiOperation({ summary: 'Connect channel SKUs to products from CSV: channel,sku,productSku', description: `channel: its id or its name (when no other channel has it). Each row is connected as POST /channels/:id/listings would; rows already connected to that product are unchanged. ${ALL_OR_NOTHING}` })
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiOkResponse({ type: ListingImportResult })
  @ApiUnprocessableEntityResponse(ROW_ERRORS)
  importListings(@Body() body: unknown, @Headers('content-type') type: string | undefined, @Query() q: CsvImportQuery) {
    return this.imports.listings(csvBodyOf(type, body), q.dryRun === 'true');
  }

  @Get('products/export')
  @ApiOperation({ summary: 'Every product as CSV, in the columns products/import takes' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' } })
  exportProducts(@Res() res: Response) {
    return send(res, 'products.csv', PRODUCT_COLUMNS, this.exports.products());
  }

  @Get('stock-levels/export')
  @ApiOperation({ summary: 'Every in-stock level as CSV, in the columns stock-levels/import takes' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' } })
  exportStockLevels(@Res() res: Response) {
    return send(res, 'stock-levels.csv', STOCK_LEVEL_COLUMNS, this.exports.stockLevels());
  }

  @Get('listings/export')
  @ApiOperation({ summary: 'Every listing mapping as CSV, in the columns listings/import takes' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' } })
  exportListings(@Res() res: Response) {
    return send(res, 'listings.csv', LISTING_COLUMNS, this.exports.listings());
  }
}

/** Streams rows as CSV; a failure after the first bytes can only cut the response short. */
async function send(res: Response, filename: string, columns: CsvColumns, rows: AsyncIterable<Record<string, unknown>>): Promise<void> {
  res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  try {
    await pipeline(Readable.from(rows), stringify({ header: true, columns: [...columns.required, ...columns.optional] }), res);
  } catch (err) {
    res.destroy(err as Error);
  }
}
