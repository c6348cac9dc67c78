import { BadRequestException, Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListingService } from '@invsync/domain-channels';
import { ReconciliationService } from '@invsync/domain-sync';
import { CatalogService } from '@invsync/domain-catalog';
import { OrderService } from '@invsync/domain-orders';
import { PageQuery } from '../common/paging';
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
    private readonly orders: OrderService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a channel: one plugin channel type on one marketplace of one account' })
  create(@Body() body: CreateChannelDto) {
    return this.channels.create(body);
  }

  @Get()
  async list() {
    return { items: await this.channels.list(), nextCursor: null };
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.channels.get(id);
  }

  @Patch(':id/settings')
  @ApiOperation({ summary: 'Change settings (partial). Turning syncInventory from false to true re-sends every listing of the channel.' })
  async updateSettings(@Param('id') id: string, @Body() body: unknown) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequestException(['the body must be a JSON object of settings']);
    const { channel, resent } = await this.channels.update(id, body as Record<string, unknown>);
    return { ...channel, resent };
  }

  @Post(':id/health-check')
  @HttpCode(200)
  healthCheck(@Param('id') id: string) {
    return this.channels.checkHealth(id);
  }

  @Post(':id/listings')
  @ApiOperation({ summary: 'Connect a listing to a product; with sync on, its quantity is sent right away' })
  async connect(@Param('id') id: string, @Body() body: ConnectListingDto) {
    return this.words.listing(await this.listings.connect(id, body));
  }

  @Get(':id/listings')
  async listListings(@Param('id') id: string, @Query() q: PageQuery) {
    return this.words.page(id, await this.listings.listByChannel(id, q.limit, q.cursor));
  }

  @Post(':id/listings/import')
  @HttpCode(200)
  @ApiOperation({ summary: "Connect the channel's listings whose SKU matches a product (dryRun lists them)" })
  import(@Param('id') id: string, @Body() body: ImportListingsDto) {
    return this.channels.importListings(id, this.listings, {
      dryRun: !!body.dryRun,
      findProducts: async (skus) => {
        const found = await this.catalog.findBySkus(skus);
        return new Map([...found].map(([sku, p]) => [sku, { id: p.id, kind: p.kind }]));
      },
    });
  }

  @Get(':id/live-listings')
  @ApiOperation({ summary: 'What the channel shows: merchant-fulfilled listings the quantity last accepted, channel-fulfilled ones the quantities the channel reports (with readAt and a stale flag); parkedOrders counts its orders kept parked' })
  async live(@Param('id') id: string, @Query() q: LiveListingsQuery) {
    const page = await this.words.page(id, await this.staleness.flagLive(id, await this.listings.live(id, { status: q.status, limit: q.limit, cursor: q.cursor })));
    // Orders of the channel kept parked (GET /orders?channelId=&status=parked lists them).
    return { ...page, parkedOrders: await this.orders.parkedCount(id) };
  }

  @Post(':id/reconcile')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the bulk reconciliation for one channel now; dryRun sends nothing and lists what would be sent' })
  async reconcile(@Param('id') id: string, @Body() body: ReconcileDto) {
    await this.channels.get(id);
    return this.reconciliation.reconcile(id, { dryRun: !!body.dryRun });
  }
}
