import {
  chunk,
  decodeCursor,
  encodeCursor,
  InvalidInputError,
  isUniqueViolation,
  MAX_SQL_PARAMS,
  newId,
  NotFoundError,
  nowIso,
  type Page,
  type PageRequest,
  pageSize,
  RuleViolationError,
  type TransactionRunner,
  parameterList,
  tableRef,
} from '@invsync/domain-shared';
import type { EntityManager } from 'typeorm';
import { WarehouseEntity } from './warehouse.entity';

export const WAREHOUSE_CODE_MAX_LENGTH = 40;

export interface WarehouseView {
  id: string;
  code: string;
  name: string;
  createdAt: string;
}

/** Warehouse codes compare like SKUs: trimmed, NFC, upper case. */
export const warehouseCodeKey = (code: string): string => code.trim().normalize('NFC').toUpperCase();

export class WarehouseService {
  constructor(private readonly tx: TransactionRunner) {}

  /** Creates a warehouse; `code` is unique ignoring case and surrounding whitespace (RuleViolationError). */
  async create(input: { code: string; name: string }): Promise<WarehouseView> {
    const problems: string[] = [];
    const code = typeof input.code === 'string' ? input.code.trim() : '';
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!code) problems.push('code must be a non-empty string');
    else if ([...code].length > WAREHOUSE_CODE_MAX_LENGTH) problems.push(`code must be at most ${WAREHOUSE_CODE_MAX_LENGTH} characters`);
    if (/\p{Cc}/u.test(code)) problems.push('code must not contain control characters');
    if (!name) problems.push('name must be a non-empty string');
    else if ([...name].length > 200) problems.push('name must be at most 200 characters');
    if (problems.length) throw new InvalidInputError(problems);
    const codeKey = warehouseCodeKey(code);
    return this.tx.run(async (em) => {
      const existing = await em.findOneBy(WarehouseEntity, { codeKey });
      if (existing) throw duplicateCode(code, existing.id);
      const w = em.create(WarehouseEntity, { id: newId(), code, codeKey, name, createdAt: nowIso() });
      try {
        await em.insert(WarehouseEntity, w);
      } catch (err) {
        if (isUniqueViolation(err, 'code_key')) throw duplicateCode(code);
        throw err;
      }
      return toView(w);
    });
  }

  async get(id: string, em?: EntityManager): Promise<WarehouseView> {
    const w = await this.tx.read((m) => m.findOneBy(WarehouseEntity, { id }), { em });
    if (!w) throw new NotFoundError(`warehouse ${id} does not exist`);
    return toView(w);
  }

  /** Warehouses ordered by code (case-insensitive). */
  async list(page: PageRequest = {}, em?: EntityManager): Promise<Page<WarehouseView>> {
    const limit = pageSize(page.limit);
    const after = page.cursor ? decodeCursor<[string]>(page.cursor, ['string'])[0] : undefined;
    return this.tx.read(async (m) => {
      const qb = m.createQueryBuilder(WarehouseEntity, 'w').orderBy('w.codeKey', 'ASC').take(limit + 1);
      if (after !== undefined) qb.where('w.codeKey > :after', { after });
      const rows = await qb.getMany();
      const items = rows.slice(0, limit);
      return { items: items.map(toView), nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1].codeKey]) : null };
    }, { em });
  }

  /** Set-based lookup; unknown ids are absent. */
  async getMany(ids: readonly string[], em?: EntityManager): Promise<Map<string, WarehouseView>> {
    const out = new Map<string, WarehouseView>();
    await this.tx.read(async (m) => {
      for (const part of chunk([...new Set(ids)], MAX_SQL_PARAMS)) {
        // Raw SQL: this runs for every stock movement, and TypeORM's find costs more than the query.
        const params = parameterList(m);
        const rows = await m.query(`SELECT id, code, name, created_at FROM ${tableRef(m, WarehouseEntity)} WHERE id IN (${params.list(part)})`, params.values);
        for (const w of rows as { id: string; code: string; name: string; created_at: string }[]) out.set(w.id, { id: w.id, code: w.code, name: w.name, createdAt: w.created_at });
      }
    }, { em });
    return out;
  }

  /** Every warehouse (for per-warehouse breakdowns); ordered by code. */
  async all(em?: EntityManager): Promise<WarehouseView[]> {
    return this.tx.read(async (m) => (await m.find(WarehouseEntity, { order: { codeKey: 'ASC' } })).map(toView), { em });
  }
}

function duplicateCode(code: string, existingId?: string): RuleViolationError {
  return new RuleViolationError(
    `warehouse-code-unique: warehouse code "${code}" is already used${existingId ? ` by warehouse ${existingId}` : ''} (codes are compared ignoring letter case and surrounding whitespace); choose another code`,
    'warehouse-code-unique',
  );
}

const toView = (w: WarehouseEntity): WarehouseView => ({ id: w.id, code: w.code, name: w.name, createdAt: w.createdAt });
