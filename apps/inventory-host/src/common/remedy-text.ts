import { type DomainError, NotFoundError, type Remedy, RuleViolationError } from '@invsync/domain-shared';

const API = '/api/v1';

/** A domain remedy in the terms of the admin API: what to do, and the route that does it. */
export function remedyText(remedy: Remedy): string {
  switch (remedy.action) {
    case 'list-warehouses':
      return `GET ${API}/warehouses lists them.`;
    case 'set-channel-setting':
      return `Set settings.${remedy.params.setting} (PATCH ${API}/channels/${remedy.params.channelId}/settings).`;
    case 'create-channel-warehouse':
      return (
        `Create a warehouse that mirrors ${remedy.params.mirrors} (POST ${API}/warehouses) ` +
        `and set it as settings.${remedy.params.setting} (PATCH ${API}/channels/${remedy.params.channelId}/settings).`
      );
    case 'relist':
      return `Relist instead: disconnect listing ${remedy.params.listingId} (DELETE ${API}/listings/${remedy.params.listingId}) and connect the new SKU.`;
    case 'select-listed-discrepancies':
      return `Nothing was corrected: select only products listed by GET ${API}/channels/${remedy.params.channelId}/fba-discrepancies.`;
  }
}

/** The error's message followed by its remedy, as API callers read it. */
export function messageWithRemedy(err: DomainError): string {
  return err.remedy ? `${err.message} ${remedyText(err.remedy)}` : err.message;
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
