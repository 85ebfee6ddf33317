/**
 * The Workflow Builder step `diagnose_token_error` over signed HTTP: a `function_executed` event in
 * Slack's documented shape; the step ends with functions.completeSuccess (outputs as the contract names
 * them) or functions.completeError, both called with the execution's own `xwfp-` token and recorded by
 * the fake Slack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { diagnoseOutputs, FUNCTION_OUTPUTS } from '../../src/listeners/functions/diagnose-token-error';
import { knowledge, startBot, type TestBot } from '../support/bot';
import { type FakeInstall, FakeOAuth } from '../support/fake-oauth';
import type { Call } from '../support/fake-slack';
import { eventFor, type OAuthBot, startOAuthBot } from '../support/oauth-bot';
import { eventCallback } from '../support/payloads';

/** The help article's seven example messages (test/fixtures/corpus/help-article.yml). */
const ARTICLE = parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'corpus', 'help-article.yml'), 'utf8'),
) as {
  text: string;
  causes: string[];
}[];
const META =
  'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons. (OAuthException code 190, error_subcode 460)';

let execution = 0;
function functionExecuted(inputs: Record<string, unknown>): Record<string, unknown> {
  execution += 1;
  return {
    type: 'function_executed',
    function: {
      id: 'Fn0TOKENFIX',
      callback_id: 'diagnose_token_error',
      title: 'Diagnose token error',
      description: 'Finds why a connector login broke',
      type: 'app',
      input_parameters: [{ type: 'string', name: 'message', title: 'Error message', is_required: true }],
      output_parameters: FUNCTION_OUTPUTS.map((name) => ({ type: 'string', name, title: name })),
      app_id: 'A0TOKENFIX',
      date_created: 1_700_000_000,
      date_updated: 1_700_000_000,
      date_deleted: 0,
    },
    inputs,
    function_execution_id: `Fx0EXEC${execution}`,
    workflow_execution_id: `Wx0RUN${execution}`,
    event_ts: `${1_700_000_000 + execution}.000100`,
    bot_access_token: `xwfp-test-execution-token-${execution}`,
  };
}

const outputsOf = (call: Call | undefined): Record<string, unknown> => {
  const raw = call?.body.outputs;
  return typeof raw === 'string'
    ? (JSON.parse(raw) as Record<string, unknown>)
    : ((raw ?? {}) as Record<string, unknown>);
};

describe('workflow step diagnose_token_error (single workspace, HTTP)', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBot();
    new FakeOAuth(bot.fake); // answers functions.completeSuccess / completeError
  });
  afterAll(async () => {
    await bot.close();
  });
  afterEach(() => bot.fake.reset());

  const run = async (inputs: Record<string, unknown>) => {
    const res = await bot.post('event', eventCallback(functionExecuted(inputs)));
    expect(res.status).toBe(200);
    await bot.fake.waitFor('the step to end', () =>
      bot.fake.calls.some((c) => c.method.startsWith('functions.complete')),
    );
    await bot.idle();
  };

  it('a token error completes with the contract outputs, using the execution token', async () => {
    await run({ message: META });
    const done = bot.fake.okCalls('functions.completeSuccess');
    expect(done).toHaveLength(1);
    expect(bot.fake.callsTo('functions.completeError')).toHaveLength(0);
    expect(String(done[0]?.headers.authorization)).toMatch(/^Bearer xwfp-test-execution-token-/);
    expect(done[0]?.body.function_execution_id).toMatch(/^Fx0EXEC/);
    const out = outputsOf(done[0]);
    expect(Object.keys(out).sort()).toEqual([...FUNCTION_OUTPUTS].sort());
    expect(out).toMatchObject({
      is_token_error: true,
      platform: 'meta',
      cause: 'password_changed',
      cause_title: knowledge().causes.get('password_changed')?.title,
    });
    expect(out.confidence).toBeGreaterThan(0.5);
    expect(out.confidence).toBeLessThanOrEqual(1);
    expect(String(out.reauth_url)).toMatch(/^https:\/\//);
    expect(String(out.summary)).toMatch(/password/i);
  });

  it('a text that is not a login error completes with is_token_error false, empty strings and what it is instead', async () => {
    await run({
      message: 'Request failed: 429 Too Many Requests — rate limit exceeded, retry after 60 seconds',
    });
    const out = outputsOf(bot.fake.okCalls('functions.completeSuccess')[0]);
    expect(out).toMatchObject({
      is_token_error: false,
      platform: '',
      cause: '',
      cause_title: '',
      confidence: 0,
      reauth_url: '',
    });
    expect(String(out.summary)).toMatch(/not a login problem/i);
    expect(String(out.summary)).toMatch(/too many requests|rate/i);
  });

  it('plain chat completes too, saying it is not a login error', async () => {
    await run({ message: 'Thanks for the quick help yesterday!' });
    const out = outputsOf(bot.fake.okCalls('functions.completeSuccess')[0]);
    expect(out.is_token_error).toBe(false);
    expect(String(out.summary)).toMatch(/doesn't look like a login/);
  });

  it('no text at all fails the step with a message for the workflow owner', async () => {
    await run({ message: '   ' });
    const failed = bot.fake.okCalls('functions.completeError');
    expect(failed).toHaveLength(1);
    expect(String(failed[0]?.body.error)).toMatch(/"message" input/);
    expect(bot.fake.callsTo('functions.completeSuccess')).toHaveLength(0);
  });

  it('a missing input fails too, rather than leaving the workflow waiting', async () => {
    await run({});
    expect(bot.fake.okCalls('functions.completeError')).toHaveLength(1);
  });

  it('when completeSuccess keeps failing, the step is failed instead of left hanging', async () => {
    bot.fake.fail('functions.completeSuccess', { error: 'internal_error' });
    await run({ message: META });
    await bot.fake.waitFor('the fallback', () => bot.fake.callsTo('functions.completeError').length > 0);
    expect(bot.fake.okCalls('functions.completeError')).toHaveLength(1);
    expect(bot.logs.some((l) => l.includes('could not complete the workflow step'))).toBe(true);
  });

  it('never logs the text it was given', async () => {
    await run({ message: `${META} secret-marker-7731` });
    expect(bot.logs.join('\n')).not.toContain('secret-marker-7731');
  });
});

describe('workflow step in OAuth mode', () => {
  const ACME: FakeInstall = {
    teamId: 'T0ACME',
    botToken: 'xoxb-acme',
    botUserId: 'U0ACMEBOT',
    botId: 'B0ACME',
  };
  let bot: OAuthBot;
  beforeAll(async () => {
    bot = await startOAuthBot();
    await bot.install(ACME);
  });
  afterAll(async () => {
    await bot.close();
  });

  it('runs for an installed workspace and completes with the execution token', async () => {
    const res = await bot.post('event', eventFor(ACME, functionExecuted({ message: META })));
    expect(res.status).toBe(200);
    await bot.fake.waitFor('the step to end', () => bot.fake.okCalls('functions.completeSuccess').length > 0);
    expect(outputsOf(bot.fake.okCalls('functions.completeSuccess')[0]).cause).toBe('password_changed');
  });
});

describe('diagnoseOutputs (pure)', () => {
  it('answers each of the help article’s examples with its cause, its title and the platform’s re-authentication link', () => {
    expect(ARTICLE.length).toBeGreaterThanOrEqual(7);
    const k = knowledge();
    for (const example of ARTICLE) {
      const out = diagnoseOutputs(k, example.text);
      expect(out.is_token_error).toBe(true);
      expect(example.causes).toContain(out.cause);
      expect(out.cause_title).toBe(k.causes.get(out.cause as never)?.title);
      // The platform's re-authentication guide; with no platform named there is none to link.
      if (out.platform) expect(out.reauth_url).toMatch(/^https:\/\//);
      else expect(out.reauth_url).toBe('');
      expect(out.summary.length).toBeGreaterThan(10);
    }
  });
});
