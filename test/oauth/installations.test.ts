/**
 * Installations at rest, on both engines (SQLite file; the real PostgreSQL server of the jest
 * globalSetup): Bolt's InstallationStore contract (store / fetch / delete) keyed per SLACK-NOTES —
 * workspaces by team, org-wide installs by enterprise, an unknown team throws — and the tokens sealed
 * with TOKEN_ENCRYPTION_KEY so that neither the database file nor its tables ever hold one in the clear.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Installation } from '@slack/oauth';
import { Client } from 'pg';
import { keyId, parseKey, TokenCipher, TokenKeyError, WRONG_KEY_MESSAGE } from '../../src/oauth/crypto';
import { Installations, UnknownInstallationError } from '../../src/oauth/installation-store';
import { openStore, parseDatabaseUrl, type Store } from '../../src/store';
import { createDatabase, postgresOrReport } from '../support/postgres';

const KEY = Buffer.alloc(32, 0x11).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 0x22).toString('base64');

const tmp = mkdtempSync(join(tmpdir(), 'tokenfix-installs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('TokenCipher (AES-256-GCM)', () => {
  const cipher = new TokenCipher(KEY);

  it('opens what it sealed, only with the same context, and never repeats a ciphertext', () => {
    const a = cipher.seal('xoxb-secret', 'T:T1');
    const b = cipher.seal('xoxb-secret', 'T:T1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('xoxb');
    expect(cipher.open(a, 'T:T1')).toBe('xoxb-secret');
    expect(() => cipher.open(a, 'T:T2')).toThrow(TokenKeyError);
  });

  it('a wrong key fails loudly, with one line naming TOKEN_ENCRYPTION_KEY', () => {
    const sealed = cipher.seal('xoxb-secret', 'T:T1');
    let error: unknown;
    try {
      new TokenCipher(OTHER_KEY).open(sealed, 'T:T1');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TokenKeyError);
    expect((error as Error).message).toBe(WRONG_KEY_MESSAGE);
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect((error as Error).message).toMatch(/^tokenfix: TOKEN_ENCRYPTION_KEY /);
  });

  it('a tampered value does not open', () => {
    const sealed = cipher.seal('xoxb-secret', 'T:T1');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] as string, 'base64url');
    body[0] = (body[0] as number) ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => cipher.open(parts.join('.'), 'T:T1')).toThrow(TokenKeyError);
  });

  it('rejects a key that is not 32 bytes of base64', () => {
    expect(() => new TokenCipher('c2hvcnQ=')).toThrow(/32 random bytes/);
    expect(() => new TokenCipher('not base64 at all!')).toThrow(/32 random bytes/);
  });
});

describe('TokenCipher key rotation (TOKEN_ENCRYPTION_KEY "new,old")', () => {
  const rotated = new TokenCipher(`${OTHER_KEY},${KEY}`);

  it('seals with the first key, naming it by its key id; opens what any listed key sealed', () => {
    const old = new TokenCipher(KEY).seal('xoxb-old', 'T:T1');
    expect(old.split('.')[1]).toBe(keyId(parseKey(KEY)));
    expect(rotated.read(old, 'T:T1')).toEqual({ plaintext: 'xoxb-old', current: false });
    const fresh = rotated.seal('xoxb-new', 'T:T1');
    expect(fresh.split('.').slice(0, 2)).toEqual(['v2', keyId(parseKey(OTHER_KEY))]);
    expect(rotated.currentKeyId).toBe(keyId(parseKey(OTHER_KEY)));
    expect(rotated.read(fresh, 'T:T1')).toEqual({ plaintext: 'xoxb-new', current: true });
    // The key id is a hash, not the key.
    expect(fresh).not.toContain(OTHER_KEY.slice(0, 8));
  });

  it('a value whose key is no longer listed is told by its key id, in one line naming the variable', () => {
    const old = new TokenCipher(KEY).seal('xoxb-old', 'T:T1');
    let error: unknown;
    try {
      new TokenCipher(OTHER_KEY).open(old, 'T:T1');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TokenKeyError);
    expect((error as TokenKeyError).missingKeyId).toBe(keyId(parseKey(KEY)));
    expect((error as Error).message).toMatch(/^tokenfix: TOKEN_ENCRYPTION_KEY /);
  });

  it('values sealed before key ids (v1) still open, under whichever listed key sealed them', () => {
    // v1 layout: v1.<iv>.<tag>.<body>, as the previous version wrote it.
    const v2 = new TokenCipher(KEY).seal('xoxb-legacy', 'T:T1').split('.');
    const v1 = ['v1', ...v2.slice(2)].join('.');
    expect(rotated.read(v1, 'T:T1')).toEqual({ plaintext: 'xoxb-legacy', current: false });
    expect(() => new TokenCipher(OTHER_KEY).open(v1, 'T:T1')).toThrow(WRONG_KEY_MESSAGE);
  });
});

interface Engine {
  name: string;
  url(): Promise<string>;
  /** Everything the database holds, as bytes to search. */
  everything(url: string): Promise<Buffer>;
}

let n = 0;
const engines: [string, Engine][] = [
  [
    'SQLite',
    {
      name: 'sqlite',
      url: async () => `sqlite:${join(tmp, `i${++n}.db`)}`,
      everything: async (url) => {
        const p = parseDatabaseUrl(url);
        const file = p.engine === 'sqlite' ? p.file : '';
        return Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
      },
    },
  ],
];
const pgAdmin = postgresOrReport('installations on PostgreSQL');
if (pgAdmin !== null) {
  engines.push([
    'PostgreSQL',
    {
      name: 'postgres',
      url: () => createDatabase(pgAdmin, 'installs'),
      everything: async (url) => {
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          const { rows } = await client.query('SELECT x::text AS r FROM installations x');
          const meta = await client.query('SELECT x::text AS r FROM store_meta x');
          return Buffer.from([...rows, ...meta.rows].map((r) => String(r.r)).join('\n'));
        } finally {
          await client.end();
        }
      },
    },
  ]);
}

function workspace(team: string, token: string, enterprise?: string): Installation<'v2', false> {
  return {
    team: { id: team, name: `Team ${team}` },
    enterprise: enterprise ? { id: enterprise, name: `Org ${enterprise}` } : undefined,
    user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
    bot: { token, scopes: ['chat:write'], id: `B${team}`, userId: `U${team}BOT` },
    appId: 'A1',
    tokenType: 'bot',
    isEnterpriseInstall: false,
    authVersion: 'v2',
  };
}

function org(enterprise: string, token: string): Installation<'v2', true> {
  return {
    team: undefined,
    enterprise: { id: enterprise, name: `Org ${enterprise}` },
    user: { id: 'U0ADMIN', token: undefined, scopes: undefined },
    bot: {
      token,
      scopes: ['chat:write'],
      id: `B${enterprise}`,
      userId: `U${enterprise}BOT`,
      refreshToken: 'xoxe-1-refresh-secret',
      expiresAt: 1_900_000_000,
    },
    appId: 'A1',
    tokenType: 'bot',
    isEnterpriseInstall: true,
    enterpriseUrl: 'https://org.enterprise.slack.com/',
    authVersion: 'v2',
  };
}

const q = (teamId: string | undefined, enterpriseId?: string, isEnterpriseInstall = false) =>
  ({ teamId, enterpriseId, isEnterpriseInstall }) as Parameters<Installations['fetchInstallation']>[0];

describe.each(engines)('installations on %s', (_label, engine) => {
  let url: string;
  let store: Store;
  let installs: Installations;
  const opened: Store[] = [];

  beforeEach(async () => {
    url = await engine.url();
    store = await openStore(url);
    opened.push(store);
    installs = new Installations(store.installations, KEY);
    await installs.verifyKey();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it('stores, fetches and deletes a workspace install by its team id', async () => {
    await installs.storeInstallation(workspace('T0ACME', 'xoxb-acme-secret-1'));
    const got = await installs.fetchInstallation(q('T0ACME'));
    expect(got.bot?.token).toBe('xoxb-acme-secret-1');
    expect(got.team?.id).toBe('T0ACME');
    // A reinstall replaces it.
    await installs.storeInstallation(workspace('T0ACME', 'xoxb-acme-secret-2'));
    expect((await installs.fetchInstallation(q('T0ACME'))).bot?.token).toBe('xoxb-acme-secret-2');
    expect(await installs.count()).toBe(1);
    await installs.deleteInstallation(q('T0ACME'));
    await expect(installs.fetchInstallation(q('T0ACME'))).rejects.toBeInstanceOf(UnknownInstallationError);
  });

  it('an org-wide install serves every workspace of its org; a workspace install in a Grid org keeps its own token', async () => {
    await installs.storeInstallation(org('E0GRID', 'xoxb-org-secret'));
    await installs.storeInstallation(workspace('T0LOCAL', 'xoxb-local-secret', 'E0OTHER'));
    for (const team of ['T0SALES', 'T0SUPPORT', undefined]) {
      const got = await installs.fetchInstallation(q(team, 'E0GRID', true));
      expect(got.bot?.token).toBe('xoxb-org-secret');
      expect(got.bot?.refreshToken).toBe('xoxe-1-refresh-secret');
    }
    expect((await installs.fetchInstallation(q('T0LOCAL', 'E0OTHER'))).bot?.token).toBe('xoxb-local-secret');
  });

  it('an unknown team throws, never falling back to another install', async () => {
    await installs.storeInstallation(org('E0GRID', 'xoxb-org-secret'));
    await installs.storeInstallation(workspace('T0ACME', 'xoxb-acme-secret'));
    // A workspace-level request for a team of that org that never installed the app itself.
    await expect(installs.fetchInstallation(q('T0SALES', 'E0GRID', false))).rejects.toThrow(
      'no installation for T:T0SALES',
    );
    await expect(installs.fetchInstallation(q('T0NOBODY'))).rejects.toBeInstanceOf(UnknownInstallationError);
    await expect(installs.fetchInstallation(q(undefined, 'E0UNKNOWN', true))).rejects.toThrow('E:E0UNKNOWN');
    await expect(installs.fetchInstallation(q(undefined))).rejects.toBeInstanceOf(UnknownInstallationError);
  });

  it('deletes an org install by its enterprise id, leaving the workspace installs', async () => {
    await installs.storeInstallation(org('E0GRID', 'xoxb-org-secret'));
    await installs.storeInstallation(workspace('T0ACME', 'xoxb-acme-secret'));
    await installs.deleteInstallation(q('T0SALES', 'E0GRID', true));
    await expect(installs.fetchInstallation(q('T0SALES', 'E0GRID', true))).rejects.toThrow();
    expect((await installs.fetchInstallation(q('T0ACME'))).bot?.token).toBe('xoxb-acme-secret');
  });

  it('never keeps a token, refresh token or team name in the clear', async () => {
    await installs.storeInstallation(org('E0GRID', 'xoxb-org-secret'));
    await installs.storeInstallation(workspace('T0ACME', 'xoxb-acme-secret'));
    await installs.fetchInstallation(q('T0ACME'));
    const bytes = await engine.everything(url);
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of ['xoxb-org-secret', 'xoxb-acme-secret', 'xoxe-1-refresh-secret', 'Team T0ACME']) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    // The ids are kept (the rows are found by them).
    expect(bytes.includes(Buffer.from('T0ACME'))).toBe(true);
  });

  it('a replica with another TOKEN_ENCRYPTION_KEY fails at start, with one line', async () => {
    await installs.storeInstallation(workspace('T0ACME', 'xoxb-acme-secret'));
    const second = await openStore(url);
    opened.push(second);
    const wrong = new Installations(second.installations, OTHER_KEY);
    await expect(wrong.verifyKey()).rejects.toThrow(WRONG_KEY_MESSAGE);
    // And a row never opens under it.
    await expect(wrong.fetchInstallation(q('T0ACME'))).rejects.toBeInstanceOf(TokenKeyError);
    // The right key, on another connection, works.
    const right = new Installations(second.installations, KEY);
    await right.verifyKey();
    expect((await right.fetchInstallation(q('T0ACME'))).bot?.token).toBe('xoxb-acme-secret');
  });

  it('key rotation: under "new,old" old rows open and are sealed again under the new key when read; new saves use it; under "new" alone an unmoved row is named, one line', async () => {
    await installs.storeInstallation(workspace('T0ACME', 'xoxb-acme-secret'));
    await installs.storeInstallation(workspace('T0IDLE', 'xoxb-idle-secret'));
    const sealedWith = async (key: string) =>
      ((await store.installations.find(key))?.sealed ?? '').split('.')[1];
    const oldId = keyId(parseKey(KEY));
    const newId = keyId(parseKey(OTHER_KEY));
    expect(await sealedWith('T:T0ACME')).toBe(oldId);

    // Restart with the new key first: the check passes (and moves to the new key).
    const second = await openStore(url);
    opened.push(second);
    const rotated = new Installations(second.installations, `${OTHER_KEY},${KEY}`);
    await rotated.verifyKey();
    expect((await rotated.fetchInstallation(q('T0ACME'))).bot?.token).toBe('xoxb-acme-secret');
    expect(await sealedWith('T:T0ACME')).toBe(newId);
    await rotated.storeInstallation(workspace('T0NEW', 'xoxb-new-secret'));
    expect(await sealedWith('T:T0NEW')).toBe(newId);
    expect(await sealedWith('T:T0IDLE')).toBe(oldId); // never read: not moved yet

    // A reseal never overwrites a newer save made meanwhile (another replica refreshed the token).
    const stale = (await second.installations.find('T:T0NEW'))?.sealed as string;
    await rotated.storeInstallation(workspace('T0NEW', 'xoxb-new-secret-2'));
    expect(await second.installations.reseal('T:T0NEW', stale, stale)).toBe(false);
    expect((await rotated.fetchInstallation(q('T0NEW'))).bot?.token).toBe('xoxb-new-secret-2');

    // Then the old key dropped: moved rows and the check work; the unmoved one is reported, not a crash.
    const third = await openStore(url);
    opened.push(third);
    const onlyNew = new Installations(third.installations, OTHER_KEY);
    await onlyNew.verifyKey();
    expect((await onlyNew.fetchInstallation(q('T0ACME'))).bot?.token).toBe('xoxb-acme-secret');
    const error = await onlyNew.fetchInstallation(q('T0IDLE')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenKeyError);
    expect((error as Error).message).toBe(
      `tokenfix: installation T:T0IDLE is sealed with a key that is not in TOKEN_ENCRYPTION_KEY (key id ${oldId}): add that key back after the current one, comma-separated, or reinstall the app in that workspace`,
    );
    // Nothing in the clear, whichever key sealed it.
    const bytes = await engine.everything(url);
    for (const secret of ['xoxb-acme-secret', 'xoxb-idle-secret', 'xoxb-new-secret']) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
  });

  it('uninstalling a workspace forgets its stored data (and only its)', async () => {
    await installs.storeInstallation(workspace('T0ACME', 'xoxb-acme-secret'));
    await installs.storeInstallation(workspace('T0OTHER', 'xoxb-other-secret'));
    const hash = store.hashMessage('x');
    for (const team of ['T0ACME', 'T0OTHER']) {
      await store.recordDiagnosis({
        team,
        channel: 'C1',
        user: 'U1',
        entryPoint: 'mention',
        platform: 'meta',
        cause: 'password_changed',
        confidence: 0.9,
        errorCode: '190/460',
        isTokenError: true,
        messageHash: hash,
        cardKey: `card-${team}`,
      });
      await store.recordVote(`card-${team}`, 'U2', 'fixed');
      await store.setChannelSettings(team, 'C1', { listenMode: 'react' }, 'U1');
    }
    await installs.uninstalled({ teamId: 'T0ACME', isEnterpriseInstall: false });
    await expect(installs.fetchInstallation(q('T0ACME'))).rejects.toThrow();
    expect((await store.stats('T0ACME', 30)).diagnoses).toBe(0);
    expect(await store.cardVotes('card-T0ACME')).toEqual([]);
    expect((await store.getChannelSettings('T0ACME', 'C1')).updatedBy).toBeNull();
    expect((await store.stats('T0OTHER', 30)).diagnoses).toBe(1);
    expect(await store.cardVotes('card-T0OTHER')).toHaveLength(1);
    expect((await installs.fetchInstallation(q('T0OTHER'))).bot?.token).toBe('xoxb-other-secret');
  });

  it('uninstalling an org-wide install forgets what its workspaces stored: not another org’s, nor a workspace install’s', async () => {
    await installs.storeInstallation(org('E0GRID', 'xoxb-org-secret'));
    await installs.storeInstallation(org('E0OTHER', 'xoxb-other-org-secret'));
    // A workspace of the org with an install of its own, also seen through the org's.
    await installs.storeInstallation(workspace('T0LOCAL', 'xoxb-local-secret', 'E0GRID'));
    await installs.storeInstallation(workspace('T0ACME', 'xoxb-acme-secret'));
    const served: Array<[string, string | null]> = [
      ['T0SALES', 'E0GRID'],
      ['T0SUPPORT', 'E0GRID'],
      ['T0LOCAL', 'E0GRID'],
      ['T0ELSE', 'E0OTHER'],
      ['T0ACME', null],
    ];
    for (const [team, enterprise] of served) {
      await store.setChannelSettings(team, 'C1', { listenMode: 'react' }, 'U1');
      await store.setAlertChoice(team, 'C0ALERTS', 'U1');
      if (enterprise) await store.installations.noteTeamEnterprise(team, enterprise);
    }
    // Bolt's context for the org's app_uninstalled: the event's team is whichever Slack names.
    await installs.uninstalled({ teamId: 'E0GRID', enterpriseId: 'E0GRID', isEnterpriseInstall: true });
    await expect(installs.fetchInstallation(q('T0SALES', 'E0GRID', true))).rejects.toThrow('E:E0GRID');
    for (const team of ['T0SALES', 'T0SUPPORT']) {
      expect((await store.getChannelSettings(team, 'C1')).updatedBy).toBeNull();
      expect(await store.getAlertChoice(team)).toBeNull();
    }
    for (const team of ['T0LOCAL', 'T0ELSE', 'T0ACME']) {
      expect((await store.getChannelSettings(team, 'C1')).listenMode).toBe('react');
      expect((await store.getAlertChoice(team))?.channel).toBe('C0ALERTS');
    }
    expect((await installs.fetchInstallation(q('T0ELSE', 'E0OTHER', true))).bot?.token).toBe(
      'xoxb-other-org-secret',
    );
    expect((await installs.fetchInstallation(q('T0LOCAL', 'E0GRID'))).bot?.token).toBe('xoxb-local-secret');
  });
});
