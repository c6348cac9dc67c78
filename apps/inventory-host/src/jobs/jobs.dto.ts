import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

export class UpdateJobDto {
  @ApiPropertyOptional({ description: 'Cron expression (5 fields, or 6 with seconds)', example: '0 2 * * *' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cron?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}
