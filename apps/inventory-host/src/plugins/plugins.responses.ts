import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FREE_OBJECT } from '../common/api-schemas';

export class PluginResponse {
  @ApiProperty({ nullable: true, type: String, description: 'Null when the package could not be read' }) id: string | null;
  @ApiProperty({ nullable: true, type: String }) displayName: string | null;
  @ApiProperty({ nullable: true, type: String }) version: string | null;
  @ApiProperty({ example: 'built-in', description: 'built-in, npm:<package> or folder:<path>' }) source: string;
  @ApiProperty({ description: "The host's contract version" }) apiVersion: string;
  @ApiProperty({ nullable: true, type: String, description: 'The contract range the plugin declares' }) engine: string | null;
  @ApiProperty({ enum: ['active', 'inactive', 'failed'] }) state: string;
  @ApiPropertyOptional() error?: string;
  @ApiProperty({ nullable: true, type: String }) activatedAt: string | null;
  @ApiProperty({ type: [String] }) activationEvents: string[];
  @ApiProperty({ ...FREE_OBJECT, description: 'Channel types (with settings schema, capabilities, vocabulary) and jobs' }) contributes: Record<string, unknown>;
}
