import { MAX_BUNDLE_COMPONENTS, MAX_COMPONENT_QUANTITY, PRODUCT_KINDS, type ProductKind } from '@invsync/domain-catalog';
import { MAX_BATCH_MOVEMENTS, MAX_IDEMPOTENCY_KEY_LENGTH, MAX_MOVEMENT_QUANTITY, MAX_REASON_LENGTH } from '@invsync/domain-stock';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { PageQuery } from '../common/paging';
import { IsPlainText } from '../common/plain-text.validator';

export const SKU_RULE =
  'SKU rule: surrounding whitespace is trimmed; 1 to 40 characters (the longest SKU marketplaces accept); no control or format characters (line breaks, bidirectional overrides, zero-width characters); ' +
  'unique and looked up ignoring letter case (abc-1 and ABC-1 are the same SKU), after Unicode NFC normalisation.';

// ---- warehouses ----

export class CreateWarehouseDto {
  @ApiProperty({ description: 'Unique code (trimmed; compared ignoring case), 1..40 characters', example: 'MAIN' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @IsPlainText()
  code: string;

  @ApiProperty({ example: 'Main warehouse' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsPlainText()
  name: string;
}

export class WarehouseResponse {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() createdAt: string;
}

// ---- products ----

export class ComponentDto {
  @ApiProperty({ description: 'Id of a stock product' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  productId: string;

  @ApiProperty({ minimum: 1, maximum: MAX_COMPONENT_QUANTITY, description: 'Units of the component per bundle' })
  @IsInt()
  @Min(1)
  @Max(MAX_COMPONENT_QUANTITY)
  quantity: number;
}

export class CreateProductDto {
  @ApiProperty({ description: SKU_RULE, example: 'MUG-RED-1' })
  @IsString()
  @MaxLength(200)
  @IsPlainText()
  sku: string;

  @ApiProperty({ example: 'Red mug' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsPlainText()
  name: string;

  @ApiProperty({ enum: PRODUCT_KINDS, description: 'stock (a variant is a stock product with parentId), bundle (made of components), parent (groups variants, holds no stock)' })
  @IsIn(PRODUCT_KINDS)
  kind: ProductKind;

  @ApiPropertyOptional({ description: 'kind "stock" only: the id of a product of kind "parent" (makes this a variant)', nullable: true })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  parentId?: string | null;

  @ApiPropertyOptional({
    type: [ComponentDto],
    description: `kind "bundle" only: 1..${MAX_BUNDLE_COMPONENTS} distinct stock products (no bundle, no parent) with integer quantities`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BUNDLE_COMPONENTS)
  @ValidateNested({ each: true })
  @Type(() => ComponentDto)
  components?: ComponentDto[];
}

export class ComponentResponse {
  @ApiProperty() productId: string;
  @ApiProperty() quantity: number;
}

export class ProductResponse {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'As given, trimmed' }) sku: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: PRODUCT_KINDS }) kind: ProductKind;
  @ApiProperty({ nullable: true, type: String }) parentId: string | null;
  @ApiProperty({ type: [ComponentResponse], description: 'A bundle\'s recipe; empty for other kinds' }) components: ComponentResponse[];
  @ApiProperty() createdAt: string;
}

export class ListProductsQuery extends PageQuery {
  @ApiPropertyOptional({ description: `Exact SKU lookup, case-insensitive. ${SKU_RULE}` })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sku?: string;

  @ApiPropertyOptional({ description: 'SKUs starting with this, case-insensitive (a search)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  skuPrefix?: string;

  @ApiPropertyOptional({ enum: PRODUCT_KINDS })
  @IsOptional()
  @IsIn(PRODUCT_KINDS)
  kind?: ProductKind;

  @ApiPropertyOptional({ description: 'Only the variants of this parent' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  parentId?: string;
}

export class InventoryQuery {
  @ApiPropertyOptional({ description: 'Comma-separated warehouse ids (default: every warehouse)' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  warehouseIds?: string;
}

// ---- stock movements ----

export class BatchMovementDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  productId: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  warehouseId: string;

  @ApiProperty({ enum: ['goods-in', 'correction'] })
  @IsIn(['goods-in', 'correction'])
  type: 'goods-in' | 'correction';

  @ApiProperty({ description: 'goods-in: > 0; correction: any non-zero integer (negative lowers stock)', minimum: -MAX_MOVEMENT_QUANTITY, maximum: MAX_MOVEMENT_QUANTITY })
  @IsInt()
  @Min(-MAX_MOVEMENT_QUANTITY)
  @Max(MAX_MOVEMENT_QUANTITY)
  quantity: number;

  @ApiPropertyOptional({ maxLength: MAX_REASON_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REASON_LENGTH)
  reason?: string;
}

export class CreateMovementDto extends BatchMovementDto {
  @ApiPropertyOptional({ description: 'The same key with the same payload writes once and answers the first result (200, Idempotent-Replayed: true); with another payload: 409', maxLength: MAX_IDEMPOTENCY_KEY_LENGTH })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_IDEMPOTENCY_KEY_LENGTH)
  idempotencyKey?: string;
}

export class CreateBatchDto {
  @ApiProperty({ type: [BatchMovementDto], description: `1..${MAX_BATCH_MOVEMENTS} movements, applied all or nothing, in order` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_MOVEMENTS)
  @ValidateNested({ each: true })
  @Type(() => BatchMovementDto)
  movements: BatchMovementDto[];

  @ApiPropertyOptional({ description: 'Idempotency key for the whole batch', maxLength: MAX_IDEMPOTENCY_KEY_LENGTH })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_IDEMPOTENCY_KEY_LENGTH)
  idempotencyKey?: string;
}

export class ListMovementsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) productId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) warehouseId?: string;
  @ApiPropertyOptional({ description: 'Movements of one request' }) @IsOptional() @IsString() @MaxLength(100) batchId?: string;
}

export class LevelResponse {
  @ApiProperty() productId: string;
  @ApiProperty() warehouseId: string;
  @ApiProperty() inStock: number;
  @ApiProperty() allocated: number;
  @ApiProperty({ description: 'inStock - allocated' }) onHand: number;
}

export class MovementResponse {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'Ledger order' }) seq: number;
  @ApiProperty() productId: string;
  @ApiProperty() warehouseId: string;
  @ApiProperty({ enum: ['goods-in', 'correction', 'allocation', 'de-allocation', 'shipment'] }) type: string;
  @ApiProperty() quantity: number;
  @ApiProperty() inStockDelta: number;
  @ApiProperty() allocatedDelta: number;
  @ApiProperty() inStockAfter: number;
  @ApiProperty() allocatedAfter: number;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty() causeType: string;
  @ApiProperty({ nullable: true, type: String }) causeId: string | null;
  @ApiProperty({ nullable: true, type: String }) actor: string | null;
  @ApiProperty({ nullable: true, type: String }) idempotencyKey: string | null;
  @ApiProperty() batchId: string;
  @ApiProperty() createdAt: string;
}

export class MovementResultResponse {
  @ApiProperty({ type: MovementResponse }) movement: MovementResponse;
  @ApiProperty({ type: LevelResponse }) level: LevelResponse;
}

export class BatchResultResponse {
  @ApiProperty() batchId: string;
  @ApiProperty({ type: [MovementResponse] }) movements: MovementResponse[];
  @ApiProperty({ type: [LevelResponse], description: 'Resulting level of each (product, warehouse) touched' }) levels: LevelResponse[];
}

// ---- inventory breakdown ----
export class ComponentBreakdownResponse {
  @ApiProperty() productId: string;
  @ApiProperty({ description: 'Units per bundle' }) quantity: number;
  @ApiProperty() onHand: number;
  @ApiProperty({ description: 'floor(onHand / quantity)' }) canMake: number;
}

export class WarehouseBreakdownResponse {
  @ApiProperty() warehouseId: string;
  @ApiProperty() code: string;
  @ApiProperty() inStock: number;
  @ApiProperty() allocated: number;
  @ApiProperty() onHand: number;
  @ApiPropertyOptional({ type: [ComponentBreakdownResponse], description: 'Bundles: how each component limits this warehouse' }) components?: ComponentBreakdownResponse[];
}

export class StockTotalsResponse {
  @ApiProperty() inStock: number;
  @ApiProperty() allocated: number;
  @ApiProperty() onHand: number;
}

export class ProductInventoryResponse {
  @ApiProperty() productId: string;
  @ApiProperty({ enum: PRODUCT_KINDS }) kind: string;
  @ApiProperty({ type: [WarehouseBreakdownResponse] }) warehouses: WarehouseBreakdownResponse[];
  @ApiProperty({ type: StockTotalsResponse }) total: StockTotalsResponse;
}
