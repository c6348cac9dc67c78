import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JobRunResponse } from '../common/api-schemas';
import { JobSchedulerService } from './job-scheduler.service';

/** One run of any job or task, by id: where a 202's `Location` points. */
@ApiTags('jobs')
@ApiBearerAuth()
@Controller('job-runs')
export class JobRunsController {
  constructor(private readonly jobs: JobSchedulerService) {}

  @Get(':id')
  @ApiOkResponse({ type: JobRunResponse })
  @ApiOperation({ summary: 'A job run: status (running, succeeded, failed, skipped, interrupted), progress, summary, error' })
  get(@Param('id') id: string) {
    return this.jobs.run(id);
  }
}
