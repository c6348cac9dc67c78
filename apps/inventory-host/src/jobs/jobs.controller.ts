import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UseFilters } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, JobRunResponse } from '../common/api-schemas';
import { JobResponse, JobRunStartedResponse } from './jobs.responses';
import { PageQuery } from '../common/paging';
import { UpdateJobDto } from './jobs.dto';
import { JobBusyError } from './job-errors';
import { JobExceptionFilter } from './job-exception.filter';
import { JobSchedulerService } from './job-scheduler.service';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
@UseFilters(JobExceptionFilter)
export class JobsController {
  constructor(private readonly jobs: JobSchedulerService) {}

  @Get()
  @ApiOkResponse({ type: [JobResponse] })
  list() {
    return this.jobs.list();
  }

  @Get(':name')
  @ApiOkResponse({ type: JobResponse })
  get(@Param('name') name: string) {
    return this.jobs.describe(name);
  }

  @Post(':name/run')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobRunStartedResponse, description: 'Follow it with GET /api/v1/job-runs/:runId' })
  async run(@Param('name') name: string) {
    const started = await this.jobs.trigger(name, 'manual');
    // A manual trigger either starts a run or throws (busy, unknown job); never nothing.
    if (!started) throw new JobBusyError(`Job "${name}" did not start; try again.`);
    return { runId: started.runId, job: name, status: 'running' };
  }

  @Patch(':name')
  @ApiOkResponse({ type: JobResponse })
  update(@Param('name') name: string, @Body() body: UpdateJobDto) {
    return this.jobs.update(name, body);
  }

  @Get(':name/runs')
  @ApiPageResponse(JobRunResponse, 'Newest first')
  runs(@Param('name') name: string, @Query() q: PageQuery) {
    return this.jobs.runs(name, q.limit ?? 50, q.cursor);
  }
}
