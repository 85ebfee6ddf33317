import { dedupeKeys, MemoryClaims, MIN_EVENT_TTL_MS } from '../../src/slack/dedupe';

describe('MemoryClaims', () => {
  it('the first claim wins until the key expires', async () => {
    let now = 1_000;
    const claims = new MemoryClaims(100, () => now);
    expect(await claims.claim('k', MIN_EVENT_TTL_MS)).toBe(true);
    expect(await claims.claim('k', MIN_EVENT_TTL_MS)).toBe(false);
    now += MIN_EVENT_TTL_MS - 1;
    expect(await claims.claim('k', MIN_EVENT_TTL_MS)).toBe(false);
    now += 1;
    expect(await claims.claim('k', MIN_EVENT_TTL_MS)).toBe(true);
  });

  it('remembers Slack’s last retry (5 minutes later)', () => {
    expect(MIN_EVENT_TTL_MS).toBeGreaterThanOrEqual(6 * 60_000);
  });

  it('stays bounded: the oldest keys go first', async () => {
    const claims = new MemoryClaims(3, () => 0);
    for (const k of ['a', 'b', 'c', 'd']) await claims.claim(k, 60_000);
    expect(claims.size).toBe(3);
    expect(await claims.claim('a', 60_000)).toBe(true);
    expect(await claims.claim('d', 60_000)).toBe(false);
  });

  it('sweeps expired keys', async () => {
    let now = 0;
    const claims = new MemoryClaims(100, () => now);
    for (let i = 0; i < 10; i++) await claims.claim(`k${i}`, 10);
    now = 60_000;
    await claims.claim('fresh', 10);
    expect(claims.size).toBe(1);
  });

  it('keys: one per event, one per message, one per thread+platform+cause', () => {
    expect(dedupeKeys.event('Ev1')).toBe('event:Ev1');
    expect(dedupeKeys.message('C1', '1.2')).toBe('msg:C1:1.2');
    expect(dedupeKeys.passive('C1', '1.2', 'meta', 'password_changed')).toBe(
      'passive:C1:1.2:meta:password_changed',
    );
    expect(dedupeKeys.passive('C1', '1.2', null, null)).toBe('passive:C1:1.2:-:-');
  });
});
