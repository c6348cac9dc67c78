import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class CsvImportQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: check and report everything, write nothing' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}

export class CsvRowError {
  @ApiProperty({ description: "The record's number in the file; the header is row 1" }) row: number;
  @ApiProperty({ description: 'The column' }) field: string;
  @ApiProperty() message: string;
}

export class CsvRowErrorsResponse {
  @ApiProperty({ example: 422 }) statusCode: number;
  @ApiProperty() error: string;
  @ApiProperty() message: string;
  @ApiProperty({ description: 'How many problems there were (at most 1000 are listed)' }) errorCount: number;
  @ApiProperty({ type: [CsvRowError] }) errors: CsvRowError[];
}

class CsvImportResult {
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ description: 'Data rows read' }) rows: number;
  @ApiProperty({ description: 'Rows already as given: nothing written for them' }) unchanged: number;
}

export class ProductImportResult extends CsvImportResult {
  @ApiProperty({ description: 'Products created (would be, in a dry run)' }) created: number;
}

export class StockLevelImportResult extends CsvImportResult {
  @ApiProperty({ description: 'Movements booked (goods-in or correction, cause csv-import)' }) movements: number;
  @ApiProperty({ type: [String], description: 'Ledger batches written (empty in a dry run)' }) batchIds: string[];
}

export class ListingImportResult extends CsvImportResult {
  @ApiProperty({ description: 'Listings connected' }) connected: number;
}
