import { Body, Controller, Delete, Get, HttpCode, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ExplanationResponse, ListingResponse } from './channels.responses';
import { ExplainService, ListingService } from '@invsync/domain-channels';
import { ApiVocabularyService } from './api-vocabulary';
import { UpdateListingDto } from './channels.dto';

@ApiTags('listings')
@ApiBearerAuth()
@Controller('listings')
export class ListingsController {
  constructor(
    private readonly listings: ListingService,
    private readonly explainer: ExplainService,
    private readonly words: ApiVocabularyService,
  ) {}

  @Get(':id')
  @ApiOkResponse({ type: ListingResponse })
  async get(@Param('id') id: string) {
    return this.words.listing(await this.listings.get(id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: ListingResponse })
  @ApiOperation({ summary: 'Change overrides or the sync switch; a different SKU is refused (409: relist instead)' })
  async update(@Param('id') id: string, @Body() body: UpdateListingDto) {
    return this.words.listing(await this.listings.update(id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disconnect: nothing more is sent for this listing' })
  async disconnect(@Param('id') id: string) {
    await this.listings.disconnect(id);
  }

  @Get(':id/explain')
  @ApiOkResponse({ type: ExplanationResponse })
  @ApiOperation({ summary: 'How the quantity is made: per warehouse and component, then each rule, and what was last sent' })
  explain(@Param('id') id: string) {
    return this.explainer.explain(id);
  }
}
