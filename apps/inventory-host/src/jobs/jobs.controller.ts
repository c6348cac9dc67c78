import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
  list() {
    return this.jobs.list();
  }

  @Get(':name')
  get(@Param('name') name: string) {
    return this.jobs.describe(name);
  }

  @Post(':name/run')
  @HttpCode(202)
  async run(@Param('name') name: string) {
    const started = await this.jobs.trigger(name, 'manual');
    // A manual trigger either starts a run or throws (busy, unknown job); never nothing.
    if (!started) throw new JobBusyError(`Job "${name}" did not start; try again.`);
    return { runId: started.runId, job: name, status: 'running' };
  }

  @Patch(':name')
  update(@Param('name') name: string, @Body() body: UpdateJobDto) {
    return this.jobs.update(name, body);
  }

  @Get(':name/runs')
  runs(@Param('name') name: string, @Query() q: PageQuery) {
    return this.jobs.runs(name, q.limit ?? 50, q.cursor);
  }
}
