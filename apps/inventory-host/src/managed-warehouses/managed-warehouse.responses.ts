import { ApiProperty } from '@nestjs/swagger';
import { LevelResponse, MovementResponse } from '../inventory/inventory.dto';

const CHANNEL_QUANTITY = {
  additionalProperties: { type: 'integer' },
  description:
    "Plus the channel's sellable quantity under the name the channel type gives it (vocabulary.channelQuantityField in GET /api/v1/plugins; the host's default: channelQuantity)",
};

export class DiscrepancyResponse {
  @ApiProperty() productId: string;
  @ApiProperty({ description: 'The first of the listing SKUs holding the product' }) sku: string;
  @ApiProperty({ type: [String] }) skus: string[];
  @ApiProperty({ description: "The managed warehouse's in stock (not on hand)" }) warehouseQuantity: number;
  @ApiProperty({ description: 'Channel quantity - warehouseQuantity: the correction that lines the warehouse up' }) difference: number;
  @ApiProperty({ description: 'The oldest read among the listings' }) readAt: string;
  @ApiProperty() stale: boolean;
}

export class NotComparedResponse {
  @ApiProperty() productId: string;
  @ApiProperty({ type: [String] }) skus: string[];
  @ApiProperty({ enum: ['not-read', 'not-stock-tracked'] }) reason: string;
  @ApiProperty() message: string;
}

export class DiscrepancyReportResponse {
  @ApiProperty() channelId: string;
  @ApiProperty() warehouseId: string;
  @ApiProperty({ nullable: true, type: String }) readAt: string | null;
  @ApiProperty() stale: boolean;
  @ApiProperty() staleAfterMinutes: number;
  @ApiProperty({ type: 'array', items: { allOf: [{ $ref: '#/components/schemas/DiscrepancyResponse' }, { type: 'object', ...CHANNEL_QUANTITY }] } })
  items: DiscrepancyResponse[];
  @ApiProperty({ type: [NotComparedResponse] }) notCompared: NotComparedResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class CorrectionResponse extends DiscrepancyResponse {
  @ApiProperty({ description: "The warehouse's in stock after the correction" }) warehouseQuantityAfter: number;
}

class UnchangedResponse {
  @ApiProperty() productId: string;
  @ApiProperty() quantity: number;
}

export class CorrectionResultResponse {
  @ApiProperty({ description: "The movements' cause id" }) reconciliationId: string;
  @ApiProperty() channelId: string;
  @ApiProperty() warehouseId: string;
  @ApiProperty({ nullable: true, type: String }) batchId: string | null;
  @ApiProperty({ type: 'array', items: { allOf: [{ $ref: '#/components/schemas/CorrectionResponse' }, { type: 'object', ...CHANNEL_QUANTITY }] } })
  corrections: CorrectionResponse[];
  @ApiProperty({ type: [UnchangedResponse] }) unchanged: UnchangedResponse[];
  @ApiProperty({ type: [MovementResponse] }) movements: MovementResponse[];
  @ApiProperty({ type: [LevelResponse] }) levels: LevelResponse[];
}
