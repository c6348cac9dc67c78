import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

/** A 200 answering the paged envelope every list uses: `{items: T[], nextCursor}`. */
export function ApiPageResponse(model: Type<unknown>, description?: string) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          nextCursor: { type: 'string', nullable: true, description: 'Pass as ?cursor= for the next page; null on the last page' },
        },
      },
    }),
  );
}

/** A free-form JSON object (a job's summary, a plugin's contributions, settings). */
export const FREE_OBJECT = { type: 'object', additionalProperties: true } as const;

/** What a request that started long work answers (202). */
export class AcceptedRunResponse {
  @ApiProperty() runId: string;
  @ApiProperty({ example: 'channel.reconcile:0190c0de-...' }) job: string;
  @ApiProperty({ description: 'False when the same work was already running: this is that run' }) started: boolean;
  @ApiProperty({ example: '/api/v1/job-runs/0190c0de-...', description: 'Also in the Location header' }) location: string;
}

export class ProgressResponse {
  @ApiProperty() done: number;
  @ApiProperty({ nullable: true, type: Number }) total: number | null;
}

export class JobRunResponse {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'The job, or the task (e.g. channel.reconcile:<channelId>)' }) job: string;
  @ApiProperty({ enum: ['schedule', 'manual', 'request'] }) trigger: string;
  @ApiProperty({ nullable: true, type: String, description: 'The scheduled time a scheduled run is for' }) slot: string | null;
  @ApiProperty() instanceId: string;
  @ApiProperty({ enum: ['running', 'succeeded', 'failed', 'skipped', 'interrupted'] }) status: string;
  @ApiProperty() startedAt: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;
  @ApiProperty({ ...FREE_OBJECT, nullable: true, description: 'What the job returned' }) summary: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiPropertyOptional({ type: ProgressResponse, nullable: true }) progress: ProgressResponse | null;
}
