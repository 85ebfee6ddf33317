import { renderCard } from '../../src/cards';
import { diagnose, loadKnowledge, redactSecrets } from '../../src/diagnosis';
import { normalize } from '../../src/diagnosis/normalize';

const knowledge = loadKnowledge();

// Secret shapes as the platforms document them; the values are made up for the test.
const SECRETS: [string, string, string][] = [
  ['Meta access token', 'EAAGm0PX4ZCpsBAKZCqTg7Yx0ZBhs9Lh2ZBZAl5TokenPlant123', 'EAAG'],
  ['Google access token', 'ya29.a0AfH6SMBx3Qk9-PlantedGoogleAccessToken_abc123', 'ya29.'],
  ['Google refresh token', '1//0gPlantedRefreshTokenForGoogleXyZ-abc_123', '1//0'],
  ['Google API key', 'AIzaSyPlantedKey0123456789abcdefGHIJKLMN', 'AIza'],
  ['Amazon refresh token', 'Atzr|IwEBIPlantedAmazonRefreshToken0123456789', 'Atzr|'],
  ['Amazon access token', 'Atza|IwEBIPlantedAmazonAccessToken0123456789', 'Atza|'],
  ['Slack bot token', 'xoxb-123456789012-1234567890123-PlantedSlackBotTok', 'xoxb-'],
  ['Slack app token', 'xapp-1-A0123456789-1234567890123-plantedappleveltoken', 'xapp-'],
  ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlUGxhbnRlZA', 'eyJh'],
  ['GitHub token', 'ghp_PlantedGithubToken0123456789abcdefABCD', 'ghp_'],
  ['Stripe key', 'sk_live_PlantedStripeKey0123456789abcd', 'sk_l'],
];

describe('redaction', () => {
  test.each(SECRETS)('masks a %s and keeps a recognisable stub', (_name, secret, stub) => {
    const { text, count } = redactSecrets(`Request failed for token ${secret} please help`);
    expect(text).not.toContain(secret);
    expect(text).toContain(`${stub}…[redacted]`);
    expect(count).toBe(1);
  });

  test.each([
    [
      'Authorization header',
      'Authorization: Bearer abcdefghijklmnop1234567890',
      'abcdefghijklmnop1234567890',
    ],
    ['access_token pair', 'GET /me?access_token=abc123def456ghi789&fields=id', 'abc123def456ghi789'],
    ['refresh_token in JSON', '{"refresh_token": "plantedRefresh987654321"}', 'plantedRefresh987654321'],
    ['client_secret pair', 'client_secret=s3cr3tValueXYZ&grant_type=refresh_token', 's3cr3tValueXYZ'],
    ['password in URL', 'postgres://admin:hunter2pass@db.internal:5432/app', 'hunter2pass'],
    ['password form field', 'username=bob&password=Tr0ub4dor&grant_type=password', 'Tr0ub4dor'],
    [
      'long API key',
      'api key 9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6 rejected',
      '9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6',
    ],
  ])('masks a %s', (_name, input, secret) => {
    const { text, count } = redactSecrets(input);
    expect(text).not.toContain(secret);
    expect(count).toBeGreaterThanOrEqual(1);
  });

  test('leaves ordinary error text alone', () => {
    const input =
      'Error validating access token: Session has expired on Tuesday, 12-Mar-24 04:00:00 PDT. The current time is Tuesday. (code 190, subcode 463, fbtrace_id AbCdEf0123)';
    expect(redactSecrets(input)).toEqual({ text: input, count: 0 });
    expect(redactSecrets('The user changed their password: please reconnect').count).toBe(0);
  });

  test('is idempotent', () => {
    const once = redactSecrets(
      `token EAAGm0PX4ZCpsBAKZCqTg7Yx0ZBhs9Lh2ZBZAl5TokenPlant123 and password=abc`,
    ).text;
    expect(redactSecrets(once)).toEqual({ text: once, count: 0 });
  });

  test('the secret reaches neither the diagnosis nor the card', () => {
    const secret = 'EAAGm0PX4ZCpsBAKZCqTg7Yx0ZBhs9Lh2ZBZAl5TokenPlant123';
    const input = `Error validating access token: Session has expired. access_token=${secret}`;
    const d = diagnose(input, knowledge);
    expect(d.secretsRedacted).toBe(1);
    expect(d.isTokenError).toBe(true);
    const everything =
      JSON.stringify(d) + JSON.stringify(renderCard(knowledge, d, { excerpt: input.slice(0, 0) }));
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('ZCpsBAKZCqTg7Yx0');
  });
});

describe('normalisation', () => {
  test('drops log-line prefixes, Slack markup, quotes and escapes', () => {
    // meta-006 in the corpus (github.com/Charca/bootbot/issues/154), as a Heroku log shows it.
    const text = [
      "2018-09-17T16:13:08.953619+00:00 app[web.1]: type: 'OAuthException',",
      '2018-09-17T16:13:08.953621+00:00 app[web.1]: code: 190,',
      '2024-07-29 14:21:02,932 [ERROR] AuthError &amp; <https://x.example|link> <@U123> \\"quoted\\"',
    ].join('\n');
    expect(normalize(text).split('\n')).toEqual([
      "type: 'OAuthException',",
      'code: 190,',
      'AuthError & link (https://x.example) @someone quoted',
    ]);
  });
});
