/**
 * app_uninstalled with a single SLACK_BOT_TOKEN on a slow store: what the store kept about the
 * workspace is forgotten all the same. The deletes are not bounded by the store-call timeout nor
 * skipped during the back-off that follows a slow call (Memory's `unbounded` calls, as
 * team_access_revoked's). Signed events over HTTP to the real app, a real PostgreSQL server made slow
 * by another connection holding a table lock; no mocks.
 */
import { Client } from 'pg';
import { openStore, type Store } from '../../src/store';
import { startBot, type TestBot } from '../support/bot';
import { FAKE_IDENTITY } from '../support/fake-slack';
import { eventCallback, mentionEvent, nextTs, TEAM } from '../support/payloads';
import { createDatabase, describePostgres } from '../support/postgres';

const BOT = FAKE_IDENTITY.user_id;
const META_EXPIRED =
  'Error validating access token: Session has expired on Tuesday, 10-Jun-25 09:00:00 PDT. (OAuthException code 190, error_subcode 463)';
/** The store-call timeout of these bots: the lock below is held longer. */
const STORE_TIMEOUT_MS = 500;
const HELD_MS = 1_500;

describePostgres('app_uninstalled with a single bot token on a slow store (PostgreSQL)', (adminUrl) => {
  let store: Store;
  let bot: TestBot;
  let db: Client;

  beforeEach(async () => {
    const url = await createDatabase(adminUrl, 'uninstall');
    store = await openStore(url);
    bot = await startBot({ store, storeTimeoutMs: STORE_TIMEOUT_MS });
    db = new Client({ connectionString: url });
    await db.connect();
    // The workspace's data: a diagnosis (by mention) and a channel setting.
    await bot.post('event', eventCallback(mentionEvent({ ts: nextTs(), text: `<@${BOT}> ${META_EXPIRED}` })));
    await bot.idle();
    await store.setChannelSettings(TEAM, 'C0HELP', { listenMode: 'react' }, 'U0ADMIN');
    expect(await kept()).toBe(2);
  });
  afterEach(async () => {
    await db.end();
    await bot.close();
    await store.close();
  });

  const kept = async () => {
    const r = await db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM diagnoses WHERE team_id = $1) + (SELECT count(*) FROM channel_settings WHERE team_id = $1) AS n`,
      [TEAM],
    );
    return Number(r.rows[0]?.n);
  };
  /** Sends app_uninstalled while `table` is locked by another connection for HELD_MS. */
  const uninstallWhileLocked = async (table: string) => {
    await db.query('BEGIN');
    await db.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    const locked = Date.now();
    expect((await bot.post('event', eventCallback({ type: 'app_uninstalled' }))).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, HELD_MS - (Date.now() - locked))));
    await db.query('COMMIT');
    await bot.idle(10_000);
  };
  const logged = (text: string) => bot.logs.filter((l) => l.includes(text));

  test('the event’s own store call timed out (the store backs off): the workspace’s data is still forgotten', async () => {
    // The event's "answer once" claim waits on the lock, times out, and the store is backed off for 5 s.
    await uninstallWhileLocked('claims');
    expect(logged('store unavailable; falling back').length).toBeGreaterThan(0);
    expect(await kept()).toBe(0);
    expect(logged('could not delete')).toEqual([]);
    expect(logged('"workspaceDataDeleted":true')).toHaveLength(1);
  });

  test('the deletes themselves take longer than the store-call timeout: waited for, and reported done', async () => {
    await uninstallWhileLocked('diagnoses');
    expect(await kept()).toBe(0);
    expect(logged('could not delete')).toEqual([]);
    expect(logged('"workspaceDataDeleted":true')).toHaveLength(1);
  });

  test('the deletes fail: logged with the error code (not the error’s message, here quoting the pasted text), and the bot goes on', async () => {
    // The delete of the diagnosis (made from META_EXPIRED in beforeEach) fails with an error whose
    // message quotes that text, as a server error can quote a value: only its code may be logged.
    const quoted = `'${META_EXPIRED.replace(/'/g, "''")}'`;
    await db.query(
      `CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $f$
       BEGIN RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = ${quoted}; END $f$`,
    );
    await db.query(
      'CREATE TRIGGER refuse BEFORE DELETE ON diagnoses FOR EACH ROW EXECUTE FUNCTION refuse_delete()',
    );
    await expect(db.query('DELETE FROM diagnoses WHERE team_id = $1', [TEAM])).rejects.toThrow(
      'Session has expired',
    );
    expect((await bot.post('event', eventCallback({ type: 'app_uninstalled' }))).status).toBe(200);
    await bot.idle();
    const failed = logged('store call failed');
    expect(failed).toHaveLength(1);
    expect(JSON.parse(failed[0] as string)).toMatchObject({ call: 'forgetTeam', error: 'P0001' });
    expect(logged('could not delete the uninstalled workspace')).toHaveLength(1);
    expect(bot.logs.some((l) => l.includes('Session has expired'))).toBe(false);
    expect((await bot.get('/livez')).status).toBe(200);
    expect(await kept()).toBe(2);
  });
});
