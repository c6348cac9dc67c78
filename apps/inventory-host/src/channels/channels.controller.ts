import { BadRequestException, Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AcceptedRunResponse, ApiPageResponse, FREE_OBJECT } from '../common/api-schemas';
import { ChannelHealthResponse, ChannelResponseDto, ChannelSettingsUpdatedResponse, ListingResponse, LiveListingResponse } from './channels.responses';
import { ListingService } from '@invsync/domain-channels';
import { ReconciliationService } from '@invsync/domain-sync';
import { CatalogService } from '@invsync/domain-catalog';
import { OrderService } from '@invsync/domain-orders';
import { PageQuery } from '../common/paging';
import { acceptedRun } from '../jobs/accepted-run';
import { JobSchedulerService } from '../jobs/job-scheduler.service';
import { ChannelsService } from './channels.service';
import { ApiVocabularyService } from './api-vocabulary';
import { ManagedStockStalenessService } from '../managed-warehouses/staleness.service';
import { ConnectListingDto, CreateChannelDto, ImportListingsDto, LiveListingsQuery, ReconcileDto } from './channels.dto';

@ApiTags('channels')
@ApiBearerAuth()
@Controller('channels')
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly listings: ListingService,
    private readonly reconciliation: ReconciliationService,
    private readonly catalog: CatalogService,
    private readonly staleness: ManagedStockStalenessService,
    private readonly words: ApiVocabularyService,
    private readonly jobs: JobSchedulerService,
    private readonly orders: OrderService,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: ChannelResponseDto })
  @ApiOperation({ summary: 'Create a channel: one plugin channel type on one marketplace of one account' })
  create(@Body() body: CreateChannelDto) {
    return this.channels.create(body);
  }

  @Get()
  @ApiPageResponse(ChannelResponseDto)
  async list() {
    return { items: await this.channels.list(), nextCursor: null };
  }

  @Get(':id')
  @ApiOkResponse({ type: ChannelResponseDto })
  get(@Param('id') id: string) {
    return this.channels.get(id);
  }

  @Patch(':id/settings')
  @ApiBody({ schema: { ...FREE_OBJECT, description: "Any of the channel's settings (the host's and the plugin's, flat); see the channel type's settingsSchema in GET /api/v1/plugins" } })
  @ApiOkResponse({ type: ChannelSettingsUpdatedResponse })
  @ApiOperation({ summary: 'Change settings (partial). Turning syncInventory from false to true re-sends every listing of the channel.' })
  async updateSettings(@Param('id') id: string, @Body() body: unknown) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequestException(['the body must be a JSON object of settings']);
    const { channel, resent } = await this.channels.update(id, body as Record<string, unknown>);
    return { ...channel, resent };
  }

  @Post(':id/health-check')
  @ApiOkResponse({ type: ChannelHealthResponse })
  @HttpCode(200)
  healthCheck(@Param('id') id: string) {
    return this.channels.checkHealth(id);
  }

  @Post(':id/listings')
  @ApiCreatedResponse({ type: ListingResponse })
  @ApiOperation({ summary: 'Connect a listing to a product; with sync on, its quantity is sent right away' })
  async connect(@Param('id') id: string, @Body() body: ConnectListingDto) {
    return this.words.listing(await this.listings.connect(id, body));
  }

  @Get(':id/listings')
  @ApiPageResponse(ListingResponse)
  async listListings(@Param('id') id: string, @Query() q: PageQuery) {
    return this.words.page(id, await this.listings.listByChannel(id, q.limit, q.cursor));
  }

  @Post(':id/listings/import')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedRunResponse, description: 'Follow the Location (GET /api/v1/job-runs/:id)' })
  @ApiOperation({
    summary: "Connect the channel's listings whose SKU matches a product (dryRun lists them), as a job run",
    description: "Reading a marketplace's listings can take long: answers 202 with the run and a Location (GET /api/v1/job-runs/:id) whose summary is the import's result. Asked again while it runs: the running run.",
  })
  async import(@Param('id') id: string, @Body() body: ImportListingsDto, @Res({ passthrough: true }) res: Response) {
    const channel = await this.channels.get(id);
    await this.channels.checkImportable(id);
    const dryRun = !!body.dryRun;
    const job = `channel.import-listings${dryRun ? '-dry-run' : ''}:${id}`;
    const run = await this.jobs.runTask({
      name: job,
      owner: 'host',
      description: `Import the listings of channel "${channel.name}"${dryRun ? ' (dry run)' : ''}`,
      run: (exec) =>
        this.channels.importListings(id, this.listings, {
          dryRun,
          signal: exec.signal,
          findProducts: async (skus) => {
            const found = await this.catalog.findBySkus(skus);
            return new Map([...found].map(([sku, p]) => [sku, { id: p.id, kind: p.kind }]));
          },
        }),
    });
    return acceptedRun(res, job, run);
  }

  @Get(':id/live-listings')
  @ApiPageResponse(LiveListingResponse, 'Plus parkedOrders: how many orders of the channel are kept parked')
  @ApiOperation({ summary: 'What the channel shows: merchant-fulfilled listings the quantity last accepted, channel-fulfilled ones the quantities the channel reports (with readAt and a stale flag); parkedOrders counts its orders kept parked' })
  async live(@Param('id') id: string, @Query() q: LiveListingsQuery) {
    const live = await this.listings.live(id, { status: q.status, skuPrefix: q.skuPrefix, limit: q.limit, cursor: q.cursor });
    // The product's SKU beside each listing's (one set-based lookup for the page).
    const products = await this.catalog.getRefs(live.items.map((i) => i.productId));
    const named = { ...live, items: live.items.map((i) => ({ ...i, productSku: products.get(i.productId)?.sku ?? null })) };
    const page = await this.words.page(id, await this.staleness.flagLive(id, named));
    // Orders of the channel kept parked (GET /orders?channelId=&status=parked lists them).
    return { ...page, parkedOrders: await this.orders.parkedCount(id) };
  }

  @Post(':id/reconcile')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedRunResponse, description: 'Follow the Location (GET /api/v1/job-runs/:id)' })
  @ApiOperation({
    summary: 'Run the bulk reconciliation for one channel now, as a job run; dryRun sends nothing and lists what would be sent',
    description: "Reading the channel's quantities back can take long: answers 202 with the run and a Location (GET /api/v1/job-runs/:id) whose summary is {listings, changed, unchanged, messages, dryRun, ...}. Asked again while it runs: the running run.",
  })
  async reconcile(@Param('id') id: string, @Body() body: ReconcileDto, @Res({ passthrough: true }) res: Response) {
    const channel = await this.channels.get(id);
    const dryRun = !!body.dryRun;
    const job = `channel.reconcile${dryRun ? '-dry-run' : ''}:${id}`;
    const run = await this.jobs.runTask({
      name: job,
      owner: 'host',
      description: `Reconcile channel "${channel.name}"${dryRun ? ' (dry run)' : ''}`,
      run: async (exec) => ({ ...(await this.reconciliation.reconcile(id, { dryRun, progress: (done, total) => exec.progress(done, total) })) }),
    });
    return acceptedRun(res, job, run);
  }
}
