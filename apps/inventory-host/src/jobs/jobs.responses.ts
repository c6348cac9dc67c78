import { ApiProperty } from '@nestjs/swagger';
import { JobRunResponse } from '../common/api-schemas';

export class JobResponse {
  @ApiProperty({ example: 'amazon-mfn.download-orders' }) name: string;
  @ApiProperty({ description: 'The plugin that contributes it, or host' }) plugin: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'In effect: the override, else the default' }) cron: string;
  @ApiProperty() defaultCron: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ description: 'A run is in progress in this instance' }) running: boolean;
  @ApiProperty({ nullable: true, type: String }) nextRunAt: string | null;
  @ApiProperty({ type: JobRunResponse, nullable: true }) lastRun: JobRunResponse | null;
}

export class JobRunStartedResponse {
  @ApiProperty() runId: string;
  @ApiProperty() job: string;
  @ApiProperty({ enum: ['running'] }) status: string;
}
