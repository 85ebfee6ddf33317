import { ConfigError, loadConfig, SETUP_GUIDE } from '../../src/config';

const ROTATE_A = Buffer.alloc(32, 0xa1).toString('base64');

const BASE = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'secret' };

function problem(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('an environment without any Slack credentials gets the set-up guide', () => {
    const e = problem({ PORT: '3000' });
    expect(e.variable).toBeNull();
    expect(e.message).toBe(SETUP_GUIDE);
    expect(e.message).toMatch(/manifest\.yml/);
    expect(e.message).toMatch(/npm run diagnose/);
  });

  it('HTTP mode with defaults', () => {
    expect(loadConfig(BASE)).toEqual({
      mode: 'http',
      botToken: 'xoxb-1-2-abc',
      appToken: null,
      signingSecret: 'secret',
      port: 3000,
      slackApiUrl: 'https://slack.com/api/',
      databaseUrl: 'sqlite:./data/tokenfix.db',
      logLevel: 'info',
      knowledgePath: null,
      alertChannel: null,
      oauth: null,
    });
  });

  it('Socket Mode when SLACK_APP_TOKEN is set (no signing secret needed)', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A1-abc', PORT: '8080' });
    expect(c).toMatchObject({ mode: 'socket', appToken: 'xapp-1-A1-abc', port: 8080, signingSecret: null });
  });

  it('reads the other contract variables', () => {
    const c = loadConfig({
      ...BASE,
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      DATABASE_URL: 'postgresql://u:p@db/tokenfix',
      LOG_LEVEL: 'DEBUG',
      KNOWLEDGE_PATH: './team.yml',
      ALERT_CHANNEL: 'C0123ABC',
    });
    expect(c).toMatchObject({
      slackApiUrl: 'http://127.0.0.1:9999/api/',
      databaseUrl: 'postgresql://u:p@db/tokenfix',
      logLevel: 'debug',
      knowledgePath: './team.yml',
      alertChannel: 'C0123ABC',
    });
  });

  it.each([
    [{ SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN', /missing/],
    [{ ...BASE, SLACK_BOT_TOKEN: 'xoxp-user' }, 'SLACK_BOT_TOKEN', /xoxb-/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET', /HTTP mode/],
    [{ ...BASE, SLACK_APP_TOKEN: 'xoxb-wrong' }, 'SLACK_APP_TOKEN', /xapp-/],
    [{ ...BASE, PORT: '70000' }, 'PORT', /0 to 65535/],
    [{ ...BASE, PORT: '3000abc' }, 'PORT', /port number/],
    [{ ...BASE, SLACK_API_URL: 'ftp://x/' }, 'SLACK_API_URL', /http/],
    [{ ...BASE, DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', /sqlite:|postgres/],
    [{ ...BASE, LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', /debug, info, warn, error/],
    [{ ...BASE, ALERT_CHANNEL: '#alerts' }, 'ALERT_CHANNEL', /channel id/],
    [{ ...BASE, SLACK_CLIENT_ID: '1.2' }, 'SLACK_CLIENT_SECRET', /missing/],
    [
      { SLACK_SIGNING_SECRET: 's', SLACK_CLIENT_ID: '1', SLACK_CLIENT_SECRET: '2', SLACK_STATE_SECRET: '3' },
      'TOKEN_ENCRYPTION_KEY',
      /missing/,
    ],
    // Both ways at once is said first, before any detail of the OAuth variables.
    [
      { ...BASE, SLACK_CLIENT_ID: '1', SLACK_CLIENT_SECRET: '2', SLACK_STATE_SECRET: '3' },
      'SLACK_BOT_TOKEN',
      /SLACK_CLIENT_ID.*not both/,
    ],
    [
      {
        ...BASE,
        SLACK_CLIENT_ID: '1',
        SLACK_CLIENT_SECRET: '2',
        SLACK_STATE_SECRET: '3',
        TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      },
      'SLACK_BOT_TOKEN',
      /SLACK_CLIENT_ID/,
    ],
    [
      {
        SLACK_CLIENT_ID: '1',
        SLACK_CLIENT_SECRET: '2',
        SLACK_STATE_SECRET: '3',
        TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=',
      },
      'TOKEN_ENCRYPTION_KEY',
      /32 random bytes/,
    ],
  ])('%j → one line naming %s', (env, variable, why) => {
    const e = problem(env as Record<string, string>);
    expect(e.variable).toBe(variable);
    expect(e.message).toContain(variable);
    expect(e.message).toMatch(why);
    expect(e.message.split('\n')).toHaveLength(1);
    expect(e.message.startsWith('tokenfix: ')).toBe(true);
  });

  it('says where to get a Slack value', () => {
    expect(problem({ SLACK_SIGNING_SECRET: 's' }).message).toMatch(/OAuth & Permissions/);
    expect(problem({ SLACK_BOT_TOKEN: 'xoxb-1' }).message).toMatch(/Basic Information/);
  });

  it.each([
    [`${ROTATE_A},c2hvcnQ=`, /key 2 of 2 is not 32 random bytes/],
    [`${ROTATE_A},`, /key 2 of 2 is not 32 random bytes/],
    [`${ROTATE_A},${ROTATE_A}`, /the same key twice/],
    [' , ', /key 1 of 2/],
  ])('TOKEN_ENCRYPTION_KEY=%j (rotation list) → one line naming it', (key, why) => {
    const e = problem({
      SLACK_SIGNING_SECRET: 's',
      SLACK_CLIENT_ID: '1',
      SLACK_CLIENT_SECRET: '2',
      SLACK_STATE_SECRET: '3',
      TOKEN_ENCRYPTION_KEY: key,
    });
    expect(e.variable).toBe('TOKEN_ENCRYPTION_KEY');
    expect(e.message).toMatch(/^tokenfix: TOKEN_ENCRYPTION_KEY /);
    expect(e.message).toMatch(why);
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('TOKEN_ENCRYPTION_KEY may list several keys for rotation (the new one first); a bad one is not printed', () => {
    const both = `${Buffer.alloc(32, 2).toString('base64')},${ROTATE_A}`;
    const env = {
      SLACK_SIGNING_SECRET: 's',
      SLACK_CLIENT_ID: '1',
      SLACK_CLIENT_SECRET: '2',
      SLACK_STATE_SECRET: '3',
    };
    expect(loadConfig({ ...env, TOKEN_ENCRYPTION_KEY: both }).oauth?.tokenEncryptionKey).toBe(both);
    const secretish = 'c2VjcmV0LXNob3J0LWtleQ==';
    expect(problem({ ...env, TOKEN_ENCRYPTION_KEY: `${ROTATE_A},${secretish}` }).message).not.toContain(
      secretish,
    );
  });

  it('OAuth variables alone (no bot token) are accepted for the OAuth mode', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const c = loadConfig({
      SLACK_CLIENT_ID: '1',
      SLACK_CLIENT_SECRET: '2',
      SLACK_STATE_SECRET: '3',
      TOKEN_ENCRYPTION_KEY: key,
      SLACK_SIGNING_SECRET: 's',
    });
    expect(c.oauth).toEqual({ clientId: '1', clientSecret: '2', stateSecret: '3', tokenEncryptionKey: key });
    expect(c.botToken).toBeNull();
  });
});
