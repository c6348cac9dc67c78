import { type DomainError, NotFoundError, type Remedy, RuleViolationError } from '@invsync/domain-shared';
import { type ApiVocabulary, HOST_VOCABULARY } from '../channels/api-vocabulary';

/** The admin API's words for a channel type (the host's own when the type is unknown). */
export type VocabularyOf = (channelType: string) => ApiVocabulary;
const hostWords: VocabularyOf = () => HOST_VOCABULARY;

const API = '/api/v1';

/** A domain remedy in the terms of the admin API: what to do, and the route that does it, in the channel type's words. */
export function remedyText(remedy: Remedy, words: VocabularyOf = hostWords): string {
  switch (remedy.action) {
    case 'list-warehouses':
      return `GET ${API}/warehouses lists them.`;
    case 'set-channel-setting':
      return `Set settings.${remedy.params.setting} (PATCH ${API}/channels/${remedy.params.channelId}/settings).`;
    case 'set-managed-warehouse':
      return (
        `Create a warehouse that mirrors the stock the channel holds (POST ${API}/warehouses) ` +
        `and set it as settings.${words(remedy.params.channelType).managedWarehouseSetting} (PATCH ${API}/channels/${remedy.params.channelId}/settings).`
      );
    case 'relist':
      return `Relist instead: disconnect listing ${remedy.params.listingId} (DELETE ${API}/listings/${remedy.params.listingId}) and connect the new SKU.`;
    case 'select-listed-discrepancies':
      return `Nothing was corrected: select only products listed by GET ${API}/channels/${remedy.params.channelId}/${words(remedy.params.channelType).managedWarehouseTool}-discrepancies.`;
  }
}

/** The error's message followed by its remedy, as API callers read it. */
export function messageWithRemedy(err: DomainError, words: VocabularyOf = hostWords): string {
  return err.remedy ? `${err.message} ${remedyText(err.remedy, words)}` : err.message;
}

/**
 * The same error with its remedy written into the message, for callers that only read messages
 * (plugins recording an order park the message and show it to the operator).
 */
export function withRemedyInMessage(err: unknown): unknown {
  if (err instanceof RuleViolationError && err.remedy) return new RuleViolationError(messageWithRemedy(err), err.rule, err.details);
  if (err instanceof NotFoundError && err.remedy) return new NotFoundError(messageWithRemedy(err), err.details);
  return err;
}
