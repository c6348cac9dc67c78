import { CatalogService } from '@invsync/domain-catalog';
import { ListingService } from '@invsync/domain-channels';
import { RowsRejectedError, TransactionRunner } from '@invsync/domain-shared';
import { StockLedgerService } from '@invsync/domain-stock';
import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LISTING_COLUMNS, PRODUCT_COLUMNS, STOCK_LEVEL_COLUMNS, toLevelTarget, toListingRow, toProductRow } from './csv-columns';
import { csvRow, readCsv } from './csv-format';

/** At most this many row problems are listed in a 422 (`errorCount` says how many there were). */
const MAX_LISTED_PROBLEMS = 1000;
export const CSV_IMPORT_CAUSE = { type: 'csv-import', actor: 'admin-api' };

/** Thrown to roll a dry run's transaction back while keeping its answer. */
class DryRunRollback<T> {
  constructor(readonly result: T) {}
}

/**
 * Reads a CSV body and hands its rows to the domain's bulk operation in one transaction: everything
 * is written or nothing. A dry run does the same work and rolls it back, so it finds exactly the
 * problems a real import would.
 */
@Injectable()
export class CsvImportService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly catalog: CatalogService,
    private readonly ledger: StockLedgerService,
    private readonly listingService: ListingService,
  ) {}

  products(body: string, dryRun: boolean) {
    const rows = readCsv(body, PRODUCT_COLUMNS).map(toProductRow);
    return this.inOneTransaction(dryRun, rows.length, (em) => this.catalog.createMany(rows, em));
  }

  stockLevels(body: string, dryRun: boolean) {
    const targets = readCsv(body, STOCK_LEVEL_COLUMNS).map(toLevelTarget);
    return this.inOneTransaction(dryRun, targets.length, async (em) => {
      const r = await this.ledger.setLevels(targets, { cause: CSV_IMPORT_CAUSE, reason: 'csv-import', em });
      return { movements: r.movements, unchanged: r.unchanged, batchIds: dryRun ? [] : r.batchIds };
    });
  }

  listings(body: string, dryRun: boolean) {
    const rows = readCsv(body, LISTING_COLUMNS).map(toListingRow);
    return this.inOneTransaction(dryRun, rows.length, (em) => this.listingService.connectMany(rows, em));
  }

  private async inOneTransaction<T extends object>(dryRun: boolean, rows: number, fn: (em: EntityManager) => Promise<T>): Promise<T & { dryRun: boolean; rows: number }> {
    try {
      const result = await this.tx.run(async (em) => {
        const r = await fn(em);
        if (dryRun) throw new DryRunRollback(r);
        return r;
      });
      return { ...result, dryRun, rows };
    } catch (err) {
      if (err instanceof DryRunRollback) return { ...(err.result as T), dryRun, rows };
      if (err instanceof RowsRejectedError) throw rejected(err);
      throw err;
    }
  }
}

function rejected(err: RowsRejectedError): UnprocessableEntityException {
  const errors = err.rows.slice(0, MAX_LISTED_PROBLEMS).map((p) => ({ row: csvRow(p.row), field: p.field, message: p.message }));
  return new UnprocessableEntityException({
    statusCode: 422,
    error: 'Unprocessable Entity',
    message: `${err.rows.length} problem(s) in the rows; nothing was written (row numbers count the header as row 1)`,
    errorCount: err.rows.length,
    errors,
  });
}
