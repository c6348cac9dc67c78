import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '../common/paging';
import { UpdateJobDto } from './jobs.dto';
import { BadCronError, JobSchedulerService } from './job-scheduler.service';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
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
    // A manual trigger either starts a run or throws (409 running, 404 unknown); never nothing.
    if (!started) throw new ConflictException(`Job "${name}" did not start; try again.`);
    return { runId: started.runId, job: name, status: 'running' };
  }

  @Patch(':name')
  async update(@Param('name') name: string, @Body() body: UpdateJobDto) {
    try {
      return await this.jobs.update(name, body);
    } catch (e) {
      if (e instanceof BadCronError) throw new BadRequestException([e.message]);
      throw e;
    }
  }

  @Get(':name/runs')
  runs(@Param('name') name: string, @Query() q: PageQuery) {
    return this.jobs.runs(name, q.limit ?? 50, q.cursor);
  }
}
