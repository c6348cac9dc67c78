/**
 * SET fragments of the listing state machine, used only by the claim store.
 *
 * A force ends with the claim that covered it: the change it was requested at (`force_seq`) is at
 * most the claimed one. A change arriving during the send (`change_seq` moved on) keeps the listing
 * dirty, but it is sent again only if its quantity differs from what the channel accepted.
 */
const FORCE_DONE = 'CASE WHEN change_seq = inflight_seq OR force_seq <= inflight_seq THEN false ELSE force_send END';

/** A claim answered for: clean unless a change arrived during it, and the force ended (above). */
export const SETTLED = `dirty = CASE WHEN change_seq = inflight_seq THEN false ELSE true END, force_send = ${FORCE_DONE}`;

/** Ends a claim or a hold. */
export const RELEASED = 'inflight_token = NULL, inflight_seq = NULL, inflight_until = NULL, inflight_quantity = NULL';

/** Takes a claim at the listing's current change (`:token`, `:until`). */
export const CLAIM = 'inflight_token = :token, inflight_seq = change_seq, inflight_until = :until, inflight_quantity = NULL';

/** The next send goes even if it equals the last accepted quantity. */
export const MARK_FORCED = 'force_send = true, force_seq = change_seq';

/**
 * A claim abandoned by its sender (the instance died or stalled past its lease mid-send) may have
 * reached the channel without being recorded: the channel may show a quantity the database never
 * accepted, so the next send goes even if it equals the last accepted one, and ends the force. For
 * the same reason a drop of what the channel shows proves no sale: the next send withholds nothing.
 */
export const FORCED_AFTER_ABANDON = `${MARK_FORCED}, sold_basis = NULL, sold_basis_at = NULL, withheld_quantity = 0, withheld_since = NULL`;
