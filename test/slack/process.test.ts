import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensureBuilt, run, waitForLine } from '../support/child-process';
import { BOT_TOKEN, FakeSlack } from '../support/fake-slack';
import { slashCommand } from '../support/payloads';
import { encodeBody, signedHeaders } from '../support/sign';

const _ROOT = join(__dirname, '..', '..');
const SECRET = 'process-test-signing-secret';

describe('npm start (node dist/index.js)', () => {
  let fake: FakeSlack;
  let cwd: string;
  beforeAll(async () => {
    ensureBuilt();
    fake = await FakeSlack.start();
  });
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'tokenfix-'));
  });
  afterEach(() => {
    rmSync(cwd, { recursive: true, force: true });
    fake.reset();
    fake.validTokens.add(BOT_TOKEN);
  });
  afterAll(async () => {
    await fake.close();
  });

  it('with an empty environment explains how to set up, and exits non-zero without a stack trace', async () => {
    const r = run({}, cwd);
    expect(await r.exit).not.toBe(0);
    expect(r.stderr).toMatch(/manifest\.yml/);
    expect(r.stderr).toMatch(/npm run diagnose/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: SECRET }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_BOT_TOKEN: BOT_TOKEN }, 'SLACK_SIGNING_SECRET'],
    [{ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, PORT: 'eighty' }, 'PORT'],
    [
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: 'slack dot com' },
      'SLACK_API_URL',
    ],
    [{ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'xoxb-not-an-app-token' }, 'SLACK_APP_TOKEN'],
    [{ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, KNOWLEDGE_PATH: '/nonexistent/k.yml' },
      'KNOWLEDGE_PATH',
    ],
    [
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, DATABASE_URL: 'mysql://db/x' },
      'DATABASE_URL',
    ],
  ])('a bad variable stops start-up with one line naming it (%#)', async (env, name) => {
    const r = run(env, cwd);
    expect(await r.exit).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });

  it('a damaged knowledge/model.json stops start-up with one line naming it, before any ask', async () => {
    // A copy of the built bot whose model file is cut short.
    const copy = join(cwd, 'copy');
    cpSync(join(_ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
    cpSync(join(_ROOT, 'knowledge'), join(copy, 'knowledge'), { recursive: true });
    symlinkSync(join(_ROOT, 'node_modules'), join(copy, 'node_modules'));
    writeFileSync(join(copy, 'knowledge', 'model.json'), '{"format": "tokenfix-model-3", "tok');
    // Read at start only when the model answers asks or passive listening: here passive alone,
    // whatever the shipped settings are.
    const settings = join(copy, 'knowledge', 'settings.yml');
    writeFileSync(
      settings,
      readFileSync(settings, 'utf8')
        .replace(/modelAnswersAsks: (true|false)/, 'modelAnswersAsks: false')
        .replace(/modelAnswersPassive: (true|false)/, 'modelAnswersPassive: true'),
    );
    const r = run(
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET },
      cwd,
      join(copy, 'dist', 'index.js'),
    );
    expect(await r.exit).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('knowledge/model.json');
  });

  it('a sqlite: store that cannot be opened: one line naming DATABASE_URL, non-zero exit', async () => {
    // A file where the folder should be.
    writeFileSync(join(cwd, 'blocker'), 'not a folder');
    const r = run(
      {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        DATABASE_URL: 'sqlite:./blocker/tokenfix.db',
      },
      cwd,
    );
    expect(await r.exit).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tokenfix: could not open the store at DATABASE_URL \(sqlite:.*blocker/);
  });

  it('a token Slack rejects: one clear line, non-zero exit', async () => {
    fake.validTokens.clear();
    const r = run(
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, PORT: '0' },
      cwd,
    );
    expect(await r.exit).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/rejected SLACK_BOT_TOKEN \(invalid_auth\)/);
  });

  it('Socket Mode with an app token Slack rejects: one clear line naming SLACK_APP_TOKEN', async () => {
    fake.fail('apps.connections.open', { error: 'invalid_auth' });
    const r = run(
      {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_APP_TOKEN: 'xapp-1-A1-revoked',
        SLACK_API_URL: fake.url,
        PORT: '0',
      },
      cwd,
    );
    expect(await r.exit).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/rejected SLACK_APP_TOKEN \(invalid_auth\)/);
  });

  it('with .env filled in: serves /healthz and answers a signed /tokenfix with the card; SIGTERM → exit 0', async () => {
    writeFileSync(
      join(cwd, '.env'),
      `SLACK_BOT_TOKEN=${BOT_TOKEN}\nSLACK_SIGNING_SECRET=${SECRET}\nSLACK_API_URL=${fake.url}\nPORT=0\n`,
    );
    const r = run({}, cwd);
    try {
      const { port } = (await waitForLine(r, 'listening')) as { port: number };
      // The ready line says how it will answer, as the knowledge was loaded.
      expect(await waitForLine(r, 'ready')).toMatchObject({
        mode: 'http',
        refusalCheck: 'passive',
        modelAnswersAsks: true,
        modelAnswersPassive: false,
        passiveMinConfidence: 0,
      });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });

      const { body, type } = encodeBody(
        'command',
        slashCommand('Error validating access token: Session has expired', fake.responseUrl('proc')),
      );
      const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: signedHeaders(SECRET, body, type),
        body,
      });
      expect(res.status).toBe(200);
      await fake.waitFor('the card', () => fake.responseUrlPosts.some((p) => p.id === 'proc'));
      expect(fake.responseUrlPosts[0]?.body).toMatchObject({ response_type: 'ephemeral' });

      r.child.kill('SIGTERM');
      expect(await r.exit).toBe(0);
      await waitForLine(r, 'stopped', 1_000);
      expect(r.stderr).toBe('');
      // The default DATABASE_URL (sqlite:./data/tokenfix.db), created on first start, closed cleanly on
      // SIGTERM (SQLite folds its -wal file back in and removes it), with the diagnosis in it.
      const db = join(cwd, 'data', 'tokenfix.db');
      expect(existsSync(db)).toBe(true);
      expect(existsSync(`${db}-wal`)).toBe(false);
      const kept = new Database(db, { readonly: true });
      try {
        expect(kept.prepare('SELECT entry_point, platform, cause FROM diagnoses').all()).toEqual([
          { entry_point: 'command', platform: 'meta', cause: 'token_max_lifetime' },
        ]);
      } finally {
        kept.close();
      }
    } finally {
      r.child.kill('SIGKILL');
    }
  });

  it('a PostgreSQL that cannot be reached at start: it serves anyway (/livez 200, /healthz 503) and answers', async () => {
    const r = run(
      {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.url,
        PORT: '0',
        // Nothing listens on port 1: connection refused, as while the database restarts.
        DATABASE_URL: 'postgres://tokenfix:pw@127.0.0.1:1/tokenfix',
      },
      cwd,
    );
    try {
      const { port } = (await waitForLine(r, 'listening')) as { port: number };
      await waitForLine(r, 'ready');
      expect((await fetch(`http://127.0.0.1:${port}/livez`)).status).toBe(200);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ ok: false, reason: 'store unreachable' });
      const { body, type } = encodeBody(
        'command',
        slashCommand('Error validating access token: Session has expired', fake.responseUrl('nopg')),
      );
      await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: signedHeaders(SECRET, body, type),
        body,
      });
      await fake.waitFor('the card', () => fake.responseUrlPosts.some((p) => p.id === 'nopg'));
      expect(r.stdout.some((l) => l.includes('store unreachable at start'))).toBe(true);
      expect(r.stdout.join('\n')).not.toContain(':pw@');
      r.child.kill('SIGTERM');
      expect(await r.exit).toBe(0);
      expect(r.stderr).toBe('');
    } finally {
      r.child.kill('SIGKILL');
    }
  });
});
