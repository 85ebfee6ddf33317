import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WRONG_KEY_MESSAGE } from '../../src/oauth/crypto';
import { ensureBuilt, type Run, run, waitForLine } from '../support/child-process';
import { CLIENT_ID, CLIENT_SECRET, STATE_SECRET } from '../support/fake-oauth';
import { FakeSlack } from '../support/fake-slack';

const _ROOT = join(__dirname, '..', '..');

describe('npm start in OAuth mode (child process)', () => {
  let fake: FakeSlack;
  let cwd: string;
  const running: Run[] = [];
  beforeAll(async () => {
    ensureBuilt();
    fake = await FakeSlack.start();
    cwd = mkdtempSync(join(tmpdir(), 'tokenfix-oauth-proc-'));
  });
  afterAll(async () => {
    for (const r of running) r.child.kill('SIGKILL');
    await fake.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  const env = (key: string) => ({
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: STATE_SECRET,
    TOKEN_ENCRYPTION_KEY: key,
    SLACK_SIGNING_SECRET: 'process-oauth-signing-secret',
    SLACK_API_URL: fake.url,
    DATABASE_URL: 'sqlite:./state/tokenfix.db',
    PORT: '0',
  });

  it('starts without SLACK_BOT_TOKEN, serves the install page, stops on SIGTERM; another key then stops the start with one line', async () => {
    const first = run(env(Buffer.alloc(32, 1).toString('base64')), cwd);
    running.push(first);
    const listening = await waitForLine(first, 'listening');
    await waitForLine(first, 'ready');
    const page = await fetch(`http://127.0.0.1:${String(listening.port)}/slack/install`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`client_id=${CLIENT_ID}`);
    expect(fake.callsTo('auth.test')).toHaveLength(0);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);

    const second = run(env(Buffer.alloc(32, 2).toString('base64')), cwd);
    running.push(second);
    expect(await second.exit).toBe(1);
    expect(second.stderr.trim()).toBe(WRONG_KEY_MESSAGE);
  });
});
