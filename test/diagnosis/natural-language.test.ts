import { diagnose, loadKnowledge } from '../../src/diagnosis';

// How support agents and customers describe the problem in their own words. The first two are the
// engine issue's own examples; the others restate the help article's causes ("if you update your
// password or enable 2FA, you'll need to renew your connections") the way people write them.
const knowledge = loadKnowledge();

test.each([
  ['since I changed my Google password the connector fails', 'google', 'password_changed'],
  ['Facebook says my session expired', 'meta', 'unknown'],
  ["We enabled 2FA on the Microsoft account and now Bing Ads won't sync", 'microsoft', 'two_factor_enabled'],
  ['our LinkedIn connection keeps dropping every 60 days', 'linkedin', 'token_max_lifetime'],
  [
    'I removed the Supermetrics app from my Facebook business integrations, now reports fail',
    'meta',
    'app_access_removed',
  ],
])('%s', (text, platform, cause) => {
  expect(diagnose(text, knowledge)).toMatchObject({ isTokenError: true, platform, cause });
});

test.each([
  'Hey team, can someone review my PR?',
  'token',
  'how do I get an API token for HubSpot?',
  'What is the password policy for new hires?',
  'Can we enable 2FA for the support inbox next week?',
])('ordinary chat stays quiet: %s', (text) => {
  expect(diagnose(text, knowledge).isTokenError).toBe(false);
});
