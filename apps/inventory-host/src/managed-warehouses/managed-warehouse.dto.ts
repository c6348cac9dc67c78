import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_CORRECTIONS_PER_REQUEST } from '@invsync/domain-managed-warehouses';

export class ApplyCorrectionsDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: MAX_CORRECTIONS_PER_REQUEST, description: 'Products whose managed warehouse to line up with the channel (from the discrepancy list); at most 500, 400 above' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CORRECTIONS_PER_REQUEST, { message: `productIds must contain at most ${MAX_CORRECTIONS_PER_REQUEST} ids; send larger selections in several requests` })
  @ArrayUnique({ message: 'productIds must not repeat a product' })
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(36, { each: true })
  productIds: string[];

  @ApiPropertyOptional({ description: "Apply even if the channel's quantities of the selected products are stale (default false: 409)" })
  @IsOptional()
  @IsBoolean()
  allowStale?: boolean;
}
