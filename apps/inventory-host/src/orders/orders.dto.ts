import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ORDER_STATUSES, type OrderStatus } from '@invsync/domain-orders';
import { PageQuery } from '../common/paging';
import { IsPlainText } from '../common/plain-text.validator';

export class OrderLineDto {
  @ApiProperty({ example: 'TSHIRT-RED-M', description: "The channel's SKU: a listing's SKU on the channel, else a product's SKU" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsPlainText()
  sku: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity: number;
}

export class CreateOrderDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(36)
  channelId: string;

  @ApiProperty({ description: "The channel's order id; (channelId, externalId) is unique" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsPlainText()
  externalId: string;

  @ApiProperty({ type: [OrderLineDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  lines: OrderLineDto[];
}

/** `GET /orders` filters: newest first, in the paged envelope. */
export class ListOrdersQueryDto extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(36)
  channelId?: string;

  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional({ description: 'ISO 8601 date-time: orders created at or after it', example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdFrom?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 date-time: orders created before it' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdTo?: string;
}
