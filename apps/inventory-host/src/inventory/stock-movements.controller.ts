import { type MovementCause, StockLedgerService } from '@invsync/domain-stock';
import { Body, Controller, Get, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiPageResponse } from '../common/api-schemas';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKeyHeader, oneIdempotencyKey } from './idempotency-key';
import { BatchResultResponse, CreateBatchDto, CreateMovementDto, ListMovementsQuery, MovementResponse, MovementResultResponse } from './inventory.dto';

/** Movements booked through the admin API. */
const ADMIN_CAUSE: MovementCause = { type: 'user', actor: 'admin-api' };
export const REPLAY_HEADER = 'Idempotent-Replayed';

@ApiTags('stock movements')
@ApiBearerAuth()
@Controller('stock-movements')
export class StockMovementsController {
  constructor(private readonly ledger: StockLedgerService) {}

  @Post()
  @ApiOperation({
    summary: 'Book a goods-in or a stock correction',
    description:
      'goods-in quantity > 0; correction any non-zero integer. A movement that would make in stock negative or lower it below ' +
      'what is allocated is refused with 409 and writes nothing. With idempotencyKey, a repeat answers the first result (200, header Idempotent-Replayed: true).',
  })
  @ApiCreatedResponse({ type: MovementResultResponse })
  @ApiOkResponse({ type: MovementResultResponse, description: 'Replay of an idempotency key' })
  @ApiConflictResponse({ description: 'stock-non-negative, stock-tracked-only, idempotency-key-reuse' })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: false, description: 'Same as the body field idempotencyKey (both given must be equal)' })
  @ApiHeader({ name: REPLAY_HEADER, required: false, description: 'Response header: "true" on a replay' })
  async create(@Body() body: CreateMovementDto, @IdempotencyKeyHeader() headerKey: string | undefined, @Res({ passthrough: true }) res: Response) {
    const { idempotencyKey, ...movement } = body;
    const r = await this.ledger.apply([movement], { cause: ADMIN_CAUSE, idempotencyKey: oneIdempotencyKey(headerKey, idempotencyKey), batch: false });
    this.replayed(res, r.replayed);
    return { movement: r.movements[0], level: r.levels[0] };
  }

  @Post('batch')
  @ApiOperation({
    summary: 'Book up to 10,000 movements, all or nothing',
    description: 'Applied in order in one transaction. A refused movement fails the whole batch; the 409/404 message and the `index` field name it (movements[i]).',
  })
  @ApiCreatedResponse({ type: BatchResultResponse })
  @ApiOkResponse({ type: BatchResultResponse, description: 'Replay of an idempotency key' })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: false, description: 'Same as the body field idempotencyKey (both given must be equal)' })
  async batch(@Body() body: CreateBatchDto, @IdempotencyKeyHeader() headerKey: string | undefined, @Res({ passthrough: true }) res: Response) {
    const r = await this.ledger.apply(body.movements, { cause: ADMIN_CAUSE, idempotencyKey: oneIdempotencyKey(headerKey, body.idempotencyKey), batch: true });
    this.replayed(res, r.replayed);
    return { batchId: r.batchId, movements: r.movements, levels: r.levels };
  }

  @Get()
  @ApiOperation({ summary: 'The ledger, oldest first, filtered by product and/or warehouse', description: 'Answers {items, nextCursor}.' })
  @ApiPageResponse(MovementResponse)
  list(@Query() query: ListMovementsQuery) {
    return this.ledger.listMovements(query);
  }

  private replayed(res: Response, replayed: boolean): void {
    res.status(replayed ? HttpStatus.OK : HttpStatus.CREATED);
    if (replayed) res.setHeader(REPLAY_HEADER, 'true');
  }
}
