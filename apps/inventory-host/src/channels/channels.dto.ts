import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageQuery } from '../common/paging';
import { IsPlainText } from '../common/plain-text.validator';

const MAX_Q = 1_000_000_000;

export class CreateChannelDto {
  @ApiProperty({ example: 'amazon-mfn', description: 'A channel type contributed by a loaded plugin (GET /api/v1/plugins)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  type: string;

  @ApiProperty({ example: 'UK store' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsPlainText()
  name: string;

  @ApiProperty({
    description:
      'Host settings (syncInventory, onHandWarehouseIds, allocationWarehouseId, managedWarehouseId, reserve, percentage, maxQuantity, zeroAtOrBelow) ' +
      "plus the plugin's settings, validated against its declared schema. Secrets are encrypted at rest and never returned.",
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  settings: Record<string, unknown>;
}

/** Quantity-rule overrides of one listing; `null` clears an override (the channel's value applies). */
export class ListingRulesDto {
  @ApiPropertyOptional({ minimum: 0, nullable: true, description: 'Hold back this many units' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_Q)
  reserve?: number | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, nullable: true, description: 'Publish this percentage (rounded down)' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(100)
  percentage?: number | null;

  @ApiPropertyOptional({ minimum: 0, nullable: true, description: 'Never list more than this' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_Q)
  maxQuantity?: number | null;

  @ApiPropertyOptional({ minimum: 0, nullable: true, description: 'Send 0 when on hand is at or below this' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_Q)
  zeroAtOrBelow?: number | null;

  @ApiPropertyOptional({ description: 'Per-listing sync switch' })
  @IsOptional()
  @IsBoolean()
  syncEnabled?: boolean;
}

export class ConnectListingDto extends ListingRulesDto {
  @ApiProperty({ example: 'TSHIRT-RED-M', description: 'The listing SKU on the channel (cannot change later)' })
  @IsString()
  @MaxLength(200)
  @IsPlainText()
  sku: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(36)
  productId: string;
}

export class UpdateListingDto extends ListingRulesDto {
  @ApiPropertyOptional({ description: 'Refused with 409 if different: a SKU cannot change (relist instead)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsPlainText()
  sku?: string;
}

export class ReconcileDto {
  @ApiPropertyOptional({ description: 'Send nothing; list what would be sent' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class ImportListingsDto {
  @ApiPropertyOptional({ description: 'Connect nothing; list what would be connected' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class LiveListingsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['pending', 'sent', 'synced', 'error', 'disabled', 'conflict'] })
  @IsOptional()
  @IsIn(['pending', 'sent', 'synced', 'error', 'disabled', 'conflict'])
  status?: 'pending' | 'sent' | 'synced' | 'error' | 'disabled' | 'conflict';

  @ApiPropertyOptional({ description: 'Only listings whose SKU starts with this (case-insensitive)', maxLength: 40 })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  skuPrefix?: string;
}
