import { dedupeKeys, MemoryClaims, MIN_EVENT_TTL_MS, replyHeld } from '../../src/slack/dedupe';

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

  it('held claims: pending under a lease until answered (final for their TTL) or released', async () => {
    let now = 0;
    const claims = new MemoryClaims(100, () => now, 1_000);
    const list = [
      { key: 'msg:C1:1', ttlMs: MIN_EVENT_TTL_MS },
      { key: 'passive:C1:1:-:-', ttlMs: 2 * MIN_EVENT_TTL_MS },
    ];
    const first = await claims.hold(list);
    expect(first.won).toBe(2);
    expect((await claims.hold(list)).won).toBe(0);
    expect(await claims.claim('msg:C1:1', 1)).toBe(false);
    now += 1_000; // the lease lapsed unsettled (its holder is gone)
    const second = await claims.hold(list);
    expect(second.won).toBe(2);
    await first.answered(); // the first holder's late word changes nothing: no longer its claims
    now += 1_000;
    expect((await claims.hold(list)).won).toBe(2);
    const third = await claims.hold([{ key: 'msg:C1:2', ttlMs: MIN_EVENT_TTL_MS }]);
    await third.answered();
    now += MIN_EVENT_TTL_MS - 1;
    expect((await claims.hold([{ key: 'msg:C1:2', ttlMs: 1 }])).won).toBe(0);
    const fourth = await claims.hold([{ key: 'msg:C1:3', ttlMs: MIN_EVENT_TTL_MS }]);
    await fourth.release();
    expect((await claims.hold([{ key: 'msg:C1:3', ttlMs: MIN_EVENT_TTL_MS }])).won).toBe(1);
  });

  it('replyHeld: answered after a reply, released after a throw or a failure a redelivery may fix', async () => {
    const claims = new MemoryClaims(100, () => 0, 60_000);
    const key = (k: string) => [{ key: k, ttlMs: MIN_EVENT_TTL_MS }];
    const again = async (k: string) => (await claims.hold(key(k))).won;
    await replyHeld(
      [await claims.hold(key('ok'))],
      async () => 'posted',
      () => false,
    );
    expect(await again('ok')).toBe(0);
    await replyHeld(
      [await claims.hold(key('later')), undefined],
      async () => 'failed',
      () => true,
    );
    expect(await again('later')).toBe(1);
    await expect(
      replyHeld(
        [await claims.hold(key('threw'))],
        async () => {
          throw new Error('listener bug');
        },
        () => false,
      ),
    ).rejects.toThrow('listener bug');
    expect(await again('threw')).toBe(1);
  });

  it('renew keeps the pending claims of the given holders only', () => {
    let now = 0;
    const claims = new MemoryClaims(100, () => now);
    expect(claims.holdInOrder([{ key: 'a', ttlMs: 60_000 }], 'h1', 1_000)).toBe(1);
    expect(claims.holdInOrder([{ key: 'b', ttlMs: 60_000 }], 'h2', 1_000)).toBe(1);
    now = 900;
    claims.renew(new Set(['h1']), 1_000);
    now = 1_500;
    expect(claims.holdInOrder([{ key: 'a', ttlMs: 60_000 }], 'h3', 1_000)).toBe(0);
    expect(claims.holdInOrder([{ key: 'b', ttlMs: 60_000 }], 'h3', 1_000)).toBe(1);
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
