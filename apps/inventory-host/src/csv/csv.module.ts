import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { SyncModule } from '../sync/sync.module';
import { CsvController } from './csv.controller';
import { CsvExportService } from './csv-export';
import { CsvImportService } from './csv-import.service';

/**
 * CSV import and export of products, stock levels and listing mappings over the domain's bulk
 * operations. Listed before the modules whose `:id` routes would otherwise take `/export`.
 */
@Module({
  imports: [InventoryModule, SyncModule],
  controllers: [CsvController],
  providers: [CsvImportService, CsvExportService],
})
export class CsvModule {}
