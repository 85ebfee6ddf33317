/**
 * The bot's Memory over a real SQLite store: retention purges (one replica per period, retention from
 * knowledge), claims that fall back in-process when the store fails, and the back-off after a failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog } from '../../src/log';
import { ENTERPRISE_REFRESH_MS, Memory, PURGE_EVERY_MS, SETTINGS_MAX_AGE_MS } from '../../src/slack/memory';
import { DAY_MS, openStore, type Store } from '../../src/store';
import { REVOKED_TEAMS_PER_CALL } from '../../src/store/installations';

const tmp = mkdtempSync(join(tmpdir(), 'tokenfix-memory-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

const T0 = Date.UTC(2026, 5, 1, 12);
const settings = (retentionDays: number) => ({
  readBotMessages: false,
  outbreak: { minCount: 5, minDistinct: 3, windowMinutes: 60 },
  retentionDays,
});

describe('Memory', () => {
  let store: Store;
  const clock = { now: T0 };
  const logs: string[] = [];
  const log = createLog({ sink: (l) => logs.push(l) });
  beforeEach(async () => {
    clock.now = T0;
    store = await openStore(`sqlite:${join(tmp, `m${++n}.db`)}`, { now: () => clock.now });
  });
  afterEach(() => store.close());

  const diagnosis = (at: number, key: string) =>
    store.recordDiagnosis({
      at,
      team: 'T1',
      channel: 'C1',
      user: 'U1',
      entryPoint: 'passive',
      platform: 'meta',
      cause: 'password_changed',
      confidence: 0.9,
      errorCode: null,
      isTokenError: true,
      messageHash: store.hashMessage(key),
      cardKey: key,
    });

  it('channel settings: a recent read stands in for the store only when the caller allows it', async () => {
    const a = new Memory({ store, log, settings: settings(30), now: () => clock.now });
    const b = new Memory({ store, log, settings: settings(30), now: () => clock.now });
    expect((await b.channelSettings('T1', 'C1', SETTINGS_MAX_AGE_MS)).listenMode).toBe('reply');
    // Another replica turns listening off.
    expect(await a.setChannelSettings('T1', 'C1', { listenMode: 'off' }, 'U1')).toMatchObject({
      listenMode: 'off',
    });
    // The one that set it knows at once; the other within SETTINGS_MAX_AGE_MS; a fresh read at once.
    expect((await a.channelSettings('T1', 'C1', SETTINGS_MAX_AGE_MS)).listenMode).toBe('off');
    expect((await b.channelSettings('T1', 'C1', SETTINGS_MAX_AGE_MS)).listenMode).toBe('reply');
    expect((await b.channelSettings('T1', 'C1')).listenMode).toBe('off');
    expect((await b.channelSettings('T1', 'C2', SETTINGS_MAX_AGE_MS)).listenMode).toBe('reply');
    await a.setChannelSettings('T1', 'C2', { listenMode: 'react' }, 'U1');
    clock.now += SETTINGS_MAX_AGE_MS;
    expect((await b.channelSettings('T1', 'C2', SETTINGS_MAX_AGE_MS)).listenMode).toBe('react');
  });

  it('purges past the retention the knowledge sets, once per period across replicas', async () => {
    await diagnosis(T0 - 31 * DAY_MS, 'old');
    await diagnosis(T0 - 29 * DAY_MS, 'kept');
    const a = new Memory({ store, log, settings: settings(30), now: () => clock.now });
    const b = new Memory({ store, log, settings: settings(30), now: () => clock.now });
    expect(await a.purge()).toBe(true);
    expect(await b.purge()).toBe(false); // the other replica: this period is taken
    expect((await store.stats('T1', 60)).diagnoses).toBe(1);
    clock.now += PURGE_EVERY_MS;
    expect(await b.purge()).toBe(true);
    expect(logs.some((l) => l.includes('"msg":"store purged"') && l.includes('"diagnoses":1'))).toBe(true);
  });

  it('claims fall back in-process when the store fails; keys claimed before still count', async () => {
    const memory = new Memory({
      store,
      log,
      settings: settings(180),
      now: () => clock.now,
      backoffMs: 1_000,
    });
    expect(await memory.claims.claim('event:A', 60_000)).toBe(true);
    expect(await memory.claims.claim('event:A', 60_000)).toBe(false);
    await store.close(); // the store is gone
    expect(await memory.claims.claim('event:B', 60_000)).toBe(true);
    expect(await memory.claims.claim('event:B', 60_000)).toBe(false);
    expect(await memory.claims.claim('event:A', 60_000)).toBe(false);
    expect(await memory.ping()).toBe(false);
    expect(
      await memory.record({
        team: 'T1',
        channel: 'C1',
        user: 'U1',
        entryPoint: 'command',
        diagnosis: {
          isTokenError: true,
          platform: 'meta',
          dataSource: null,
          cause: 'password_changed',
          confidence: 0.9,
          alternatives: [],
          errorCode: null,
          evidence: [],
          secretsRedacted: 0,
          otherKind: null,
        },
        text: 'x',
        cardKey: 'cmd:x',
      }),
    ).toBe(false);
    expect(await memory.channelSettings('T1', 'C1')).toMatchObject({ listenMode: 'reply', known: false });
    expect(logs.filter((l) => l.includes('store unavailable; falling back'))).toHaveLength(1);
  });

  describe('a reply’s claims are held until it is posted (issue 11.4)', () => {
    const claims = [
      { key: 'msg:C1:1.1', ttlMs: 60 * 60_000 },
      { key: 'passive:C1:1.1:meta:password_changed', ttlMs: DAY_MS },
    ];
    const replica = (replyLeaseMs = 45_000) =>
      new Memory({ store, log, settings: settings(180), now: () => clock.now, replyLeaseMs });

    it('pending: every other delivery is refused; answered: final for the claims’ TTLs', async () => {
      const a = replica();
      const b = replica();
      const held = await a.claims.hold(claims);
      expect(held.won).toBe(2);
      expect((await b.claims.hold(claims)).won).toBe(0); // another replica, while a is at work
      expect((await a.claims.hold(claims)).won).toBe(0); // the same replica, Slack's immediate retry
      await held.answered();
      await held.release(); // settled once: the later call does nothing
      clock.now += 10 * 60_000; // long past any lease
      expect((await b.claims.hold(claims)).won).toBe(0);
      expect(await store.claim('msg:C1:1.1', 1)).toBe(false);
      a.stopRenewing();
    });

    it('a holder that died leaves its claims pending; once the lease lapsed a redelivery is answered', async () => {
      const dead = replica();
      expect((await dead.claims.hold(claims)).won).toBe(2); // ...and never settles: SIGKILL
      dead.stopRenewing();
      const next = replica();
      clock.now += 45_000 - 1;
      expect((await next.claims.hold(claims)).won).toBe(0);
      clock.now += 1;
      const again = await next.claims.hold(claims);
      expect(again.won).toBe(2);
      await again.answered();
      expect((await replica().claims.hold(claims)).won).toBe(0);
      next.stopRenewing();
    });

    it('released (the post failed for now): a redelivery is answered at once', async () => {
      const a = replica();
      const held = await a.claims.hold(claims);
      await held.release();
      const b = replica();
      expect((await b.claims.hold(claims)).won).toBe(2);
      a.stopRenewing();
      b.stopRenewing(); // b's hold never settles: its renewal would run on, and keep this suite alive
    });

    it('a holder still at work renews its lease: a slow reply keeps its claims', async () => {
      // Real time here: the renewal runs on a timer, every third of the lease.
      const slow = new Memory({ store, log, settings: settings(180), replyLeaseMs: 300 });
      const other = new Memory({ store, log, settings: settings(180), replyLeaseMs: 300 });
      const held = await slow.claims.hold(claims);
      expect(held.won).toBe(2);
      expect(slow.heldReplies).toBe(1);
      await new Promise((r) => setTimeout(r, 1_000)); // three leases
      expect((await other.claims.hold(claims)).won).toBe(0);
      await held.answered();
      expect(slow.heldReplies).toBe(0);
      slow.stopRenewing();
      other.stopRenewing();
    });

    it('while the store is down the claims are held in-process, with the same rules', async () => {
      const a = new Memory({
        store,
        log,
        settings: settings(180),
        now: () => clock.now,
        backoffMs: 1_000,
        replyLeaseMs: 45_000,
      });
      await store.close();
      const held = await a.claims.hold(claims);
      expect(held.won).toBe(2);
      expect((await a.claims.hold(claims)).won).toBe(0);
      await held.release();
      const again = await a.claims.hold(claims);
      expect(again.won).toBe(2);
      clock.now += 45_000; // lapsed unrenewed (a stuck reply): free again
      const third = await a.claims.hold(claims);
      expect(third.won).toBe(2);
      await third.answered();
      clock.now += 10 * 60_000;
      expect((await a.claims.hold(claims)).won).toBe(0);
      a.stopRenewing();
    });
  });

  it('records a workspace under its org-wide install at most hourly here, and at once after the org was forgotten here', async () => {
    const memory = new Memory({ store, log, settings: settings(180), now: () => clock.now });
    const writes = jest.spyOn(store.installations, 'noteTeamEnterprise');
    await memory.noteEnterprise('T0SALES', 'E0GRID');
    await memory.noteEnterprise('T0SALES', 'E0GRID');
    await memory.noteEnterprise(undefined, 'E0GRID');
    await memory.noteEnterprise('T0SALES', undefined);
    expect(writes).toHaveBeenCalledTimes(1);
    clock.now += ENTERPRISE_REFRESH_MS;
    await memory.noteEnterprise('T0SALES', 'E0GRID');
    expect(writes).toHaveBeenCalledTimes(2);

    await store.setChannelSettings('T0SALES', 'C1', { listenMode: 'react' }, 'U1');
    expect(await memory.forgetEnterprise('E0GRID')).toBe(true);
    expect((await store.getChannelSettings('T0SALES', 'C1')).updatedBy).toBeNull();
    // Installed again: its next request records it again, not an hour later.
    await memory.noteEnterprise('T0SALES', 'E0GRID');
    expect(writes).toHaveBeenCalledTimes(3);
    expect(await store.installations.forgetEnterprise('E0GRID')).toEqual(['T0SALES']);
    // In OAuth mode the installation store forgets the org; the listener then drops this cache too
    // (a stranger's review: else a reinstall within the hour went unrecorded here).
    memory.dropEnterpriseNotes('E0GRID');
    await memory.noteEnterprise('T0SALES', 'E0GRID');
    expect(writes).toHaveBeenCalledTimes(4);
  });

  it('team_access_revoked: not bounded by the store-call timeout; the caches go once the slow delete is done', async () => {
    const memory = new Memory({ store, log, settings: settings(180), now: () => clock.now, timeoutMs: 20 });
    await memory.noteEnterprise('T0SALES', 'E0GRID');
    const writes = jest.spyOn(store.installations, 'noteTeamEnterprise');
    const real = store.installations.forgetRevokedTeams.bind(store.installations);
    // Thousands of workspaces on PostgreSQL: the delete commits after the usual timeout.
    jest.spyOn(store.installations, 'forgetRevokedTeams').mockImplementation(async (e, teams) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return real(e, teams);
    });
    logs.length = 0;
    expect(await memory.forgetRevokedTeams('E0GRID', ['T0SALES'])).toEqual({
      forgotten: ['T0SALES'],
      kept: [],
    });
    expect(logs.join('\n')).not.toMatch(/unavailable/);
    expect(memory.lastStoreFailure()).toBeNull();
    // The hourly cache went: given access again, the workspace is recorded at once.
    await memory.noteEnterprise('T0SALES', 'E0GRID');
    expect(writes).toHaveBeenCalledTimes(1);
  });

  it('an uninstall’s unbounded call leaves the back-off alone: its failure backs off no reply and leaves /healthz healthy; its success ends no back-off', async () => {
    const memory = new Memory({
      store,
      log,
      settings: settings(180),
      now: () => clock.now,
      backoffMs: 1_000,
    });
    const failure = Object.assign(new Error('canceling statement due to lock timeout'), { code: '57014' });
    const forget = jest.spyOn(store.installations, 'forgetTeam').mockRejectedValueOnce(failure);
    logs.length = 0;
    expect(await memory.forgetTeam('T1')).toBe(false);
    expect(logs.filter((l) => l.includes('"msg":"store call failed"'))).toEqual([
      expect.stringContaining('"error":"57014"'),
    ]);
    expect(logs.join('\n')).not.toMatch(/unavailable/);
    expect(memory.lastStoreFailure()).toBeNull();
    // Not backed off: the next reply's claim reaches the store.
    expect(await memory.claims.claim('event:U1', 60_000)).toBe(true);
    expect(await store.claim('event:U1', 60_000)).toBe(false);

    // A reply's call fails: backed off. The uninstall's success neither ends it nor clears the failure.
    jest
      .spyOn(store, 'claimInOrder')
      .mockRejectedValueOnce(Object.assign(new Error('x'), { code: 'ECONNRESET' }));
    expect(await memory.claims.claim('event:U2', 60_000)).toBe(true); // in-process
    expect(memory.lastStoreFailure()).toBe('claim failed (ECONNRESET)');
    forget.mockRestore();
    expect(await memory.forgetTeam('T1')).toBe(true);
    expect(memory.lastStoreFailure()).toBe('claim failed (ECONNRESET)');
    expect(logs.join('\n')).not.toMatch(/available again/);
    expect(await memory.claims.claim('event:U3', 60_000)).toBe(true); // still backed off: in-process only
    expect(await store.claim('event:U3', 60_000)).toBe(true);
    clock.now += 1_000;
    expect(await memory.claims.claim('event:U4', 60_000)).toBe(true);
    expect(logs.filter((l) => l.includes('store available again'))).toHaveLength(1);
    expect(memory.lastStoreFailure()).toBeNull();
  });

  it('team_access_revoked naming more workspaces than one call takes: forgotten in several calls, progress logged', async () => {
    const memory = new Memory({ store, log, settings: settings(180), now: () => clock.now });
    const teams = Array.from({ length: 2 * REVOKED_TEAMS_PER_CALL + 5 }, (_, i) => `T0${i}`);
    await store.setChannelSettings(teams[0] as string, 'C1', { listenMode: 'react' }, 'U1');
    await store.setChannelSettings(teams.at(-1) as string, 'C1', { listenMode: 'react' }, 'U1');
    const calls = jest.spyOn(store.installations, 'forgetRevokedTeams');
    logs.length = 0;
    const r = await memory.forgetRevokedTeams('E0GRID', [...teams, teams[0] as string]);
    expect(r?.forgotten).toEqual(teams);
    expect(r?.kept).toEqual([]);
    expect(calls).toHaveBeenCalledTimes(3);
    expect((await store.getChannelSettings(teams[0] as string, 'C1')).updatedBy).toBeNull();
    expect((await store.getChannelSettings(teams.at(-1) as string, 'C1')).updatedBy).toBeNull();
    expect(logs.filter((l) => l.includes('workspaces done'))).toHaveLength(3);
  });

  it('a value the store refuses (never text) fails that call only, without backing off', async () => {
    const memory = new Memory({ store, log, settings: settings(180), now: () => clock.now });
    expect(await memory.claims.claim('has a space', 60_000)).toBe(true); // in-process only
    expect(await memory.claims.claim('event:C', 60_000)).toBe(true);
    expect(await store.claim('event:C', 60_000)).toBe(false); // that one did reach the store
  });
});
