/**
 * TOKEN_ENCRYPTION_KEY rotation through the whole bot (OAuth mode, signed HTTP, fake Slack, one SQLite
 * file across restarts): installs sealed under key A keep working after a restart with "B,A", new
 * installs are sealed under B, and after a restart with B alone an installation still under A is
 * reported in one clear line while every other workspace is answered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyId, parseKey } from '../../src/oauth/crypto';
import { type FakeInstall, FakeOAuth } from '../support/fake-oauth';
import { FakeSlack } from '../support/fake-slack';
import { eventFor, type OAuthBot, startOAuthBot } from '../support/oauth-bot';
import { nextTs } from '../support/payloads';

const KEY_A = Buffer.alloc(32, 0xa0).toString('base64');
const KEY_B = Buffer.alloc(32, 0xb0).toString('base64');
const META =
  'Error validating access token: The session has been invalidated because the user changed their password. (OAuthException code 190, error_subcode 460)';

const install = (name: string): FakeInstall => ({
  teamId: `T0${name}`,
  botToken: `xoxb-${name.toLowerCase()}-1`,
  botUserId: `U0${name}BOT`,
  botId: `B0${name}`,
});
const ACME = install('ACME');
const IDLE = install('IDLE');
const GLOBEX = install('GLOBEX');

const tmp = mkdtempSync(join(tmpdir(), 'tokenfix-rotation-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bearer = (call: { headers: Record<string, unknown> } | undefined) =>
  String(call?.headers.authorization ?? '').replace(/^Bearer /, '');

/** A mention from the workspace; the tokens the replies were posted with. */
async function ask(bot: OAuthBot, who: FakeInstall): Promise<string[]> {
  bot.fake.reset();
  const res = await bot.post(
    'event',
    eventFor(who, {
      type: 'app_mention',
      channel: 'C0HELP',
      user: 'U0ASKER',
      ts: nextTs(),
      text: `<@${who.botUserId}> ${META}`,
    }),
  );
  expect(res.status).toBe(200);
  await bot.idle();
  return bot.fake.okCalls('chat.postMessage').map(bearer);
}

it('install under A; restart with "B,A": tokens still work, new installs sealed with B; restart with B alone: the row still under A is reported clearly, the rest answered', async () => {
  const fake = await FakeSlack.start();
  const oauth = new FakeOAuth(fake);
  const databaseUrl = `sqlite:${join(tmp, 'tokenfix.db')}`;
  const sealedWith = async (bot: OAuthBot, key: string) =>
    ((await bot.store.installations.find(key))?.sealed ?? '').split('.')[1];
  const idA = keyId(parseKey(KEY_A));
  const idB = keyId(parseKey(KEY_B));
  try {
    const first = await startOAuthBot({ fake, oauth, databaseUrl, tokenEncryptionKey: KEY_A });
    try {
      expect((await first.install(ACME)).status).toBe(200);
      expect((await first.install(IDLE)).status).toBe(200);
      expect(await sealedWith(first, 'T:T0ACME')).toBe(idA);
    } finally {
      await first.close();
    }

    const rotating = await startOAuthBot({
      fake,
      oauth,
      databaseUrl,
      tokenEncryptionKey: `${KEY_B},${KEY_A}`,
    });
    try {
      expect(await ask(rotating, ACME)).toEqual([ACME.botToken]);
      // Read under the old key, so sealed again under the new one.
      expect(await sealedWith(rotating, 'T:T0ACME')).toBe(idB);
      expect((await rotating.install(GLOBEX)).status).toBe(200);
      expect(await sealedWith(rotating, 'T:T0GLOBEX')).toBe(idB);
      expect(await sealedWith(rotating, 'T:T0IDLE')).toBe(idA);
      expect(rotating.fake.violations).toEqual([]);
    } finally {
      await rotating.close();
    }

    const rotated = await startOAuthBot({ fake, oauth, databaseUrl, tokenEncryptionKey: KEY_B });
    try {
      expect(await ask(rotated, ACME)).toEqual([ACME.botToken]);
      expect(await ask(rotated, GLOBEX)).toEqual([GLOBEX.botToken]);
      // The workspace nobody used during the rotation: no reply, one clear line, no crash.
      expect(await ask(rotated, IDLE)).toEqual([]);
      const lines = rotated.logs.filter((l) => l.includes('T:T0IDLE is sealed with a key that is not in'));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines[0]).toContain(`TOKEN_ENCRYPTION_KEY (key id ${idA})`);
      expect(rotated.logs.some((l) => /^\s+at /m.test(l) && l.includes('T0IDLE'))).toBe(false);
      // And the bot goes on.
      expect(await ask(rotated, ACME)).toEqual([ACME.botToken]);
      expect((await rotated.get('/livez')).status).toBe(200);
    } finally {
      await rotated.close();
    }
  } finally {
    await fake.close();
  }
});
