/**
 * Acks first, work after, for events: once Bolt has acknowledged an event, the rest of its work
 * (diagnosis, card, store, replies) waits for the event loop's next check phase (setImmediate). Events
 * that arrived together are then all acknowledged before any of them does its work; without this, the
 * last event of a burst waited for every earlier one's whole work before its ack went out, and Slack
 * retries an event not acked within 3 seconds. Slash commands don't wait: their ack comes from the
 * listener, and waiting there only delayed the answer (measured with `npm run bench`).
 */
export function afterOtherAcks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
