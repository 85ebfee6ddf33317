/**
 * Acks first, work after: once a request is acknowledged, the rest of its work (diagnosis, card,
 * store, replies) waits for the event loop's next check phase (setImmediate). Requests that arrived
 * together are then all acknowledged before any of them does its work; without this, the last
 * request of a burst waited for every earlier one's whole work before its ack went out. Slack allows
 * 3 seconds for an ack and retries after that; the e2e bench (npm run bench) measures ack latency.
 */
export function afterOtherAcks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
