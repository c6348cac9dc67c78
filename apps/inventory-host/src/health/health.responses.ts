import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class DatabaseHealth {
  @ApiProperty({ enum: ['up', 'down'] }) status: string;
  @ApiProperty({ example: 'better-sqlite3' }) type: string;
  @ApiPropertyOptional() error?: string;
}

class PluginHealth {
  @ApiProperty({ nullable: true, type: String }) id: string | null;
  @ApiProperty({ enum: ['active', 'inactive', 'failed'] }) state: string;
  @ApiPropertyOptional() error?: string;
}

class FailingChannel {
  @ApiProperty() id: string;
  @ApiProperty() type: string;
  @ApiProperty({ nullable: true, type: String }) checkedAt: string | null;
}

class ChannelsHealth {
  @ApiProperty() total: number;
  @ApiProperty() ok: number;
  @ApiProperty() failing: number;
  @ApiProperty() unchecked: number;
  @ApiProperty({ type: [FailingChannel] }) failingChannels: FailingChannel[];
}

export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status: string;
  @ApiPropertyOptional({ example: 'shutting down' }) reason?: string;
  @ApiProperty({ type: DatabaseHealth }) database: DatabaseHealth;
  @ApiProperty({ type: [PluginHealth] }) plugins: PluginHealth[];
  @ApiPropertyOptional({ type: ChannelsHealth, description: 'Stored channel health checks (no marketplace is called)' }) channels?: ChannelsHealth;
}
