import {
  expectLoginError,
  expectNotLoginError,
  type LoginCase,
  type NotLoginCase,
} from '../support/expect-diagnosis';

// Platforms' documented login-error messages that carry no code the tables can look up (issue 10, part 1:
// primary-source code tables). Each is a platform phrase with the page that documents it
// (knowledge/platforms/<id>.yml); the texts here are made up around the documented wording, never quoted
// from a corpus item, and each phrase is shown beside the near miss it must leave alone.

describe("NetSuite's documented detail for a refused login", () => {
  test.each<LoginCase>([
    {
      text: 'sync failed: NetSuite said Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
      platform: 'netsuite',
      cause: 'unknown',
    },
  ])('$text', expectLoginError);

  test.each<NotLoginCase>([
    // the two words alone are as often a first setup's refusal told in prose
    {
      text: 'Getting an invalid login attempt from NetSuite on my first SuiteTalk call, the same request works in Postman',
    },
  ])('$text', expectNotLoginError);
});

describe("Google's client libraries and Gmail's SMTP replies for a lapsed or refused login", () => {
  test.each<LoginCase>([
    {
      text: 'PHP Fatal error: Uncaught exception Google_Auth_Exception with message The OAuth 2.0 access token has expired, and a refresh token is not available. Refresh tokens are not returned for responses that were auto-approved. (Google Calendar sync)',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: 'google.auth.exceptions.RefreshError: The credentials do not contain the necessary fields need to refresh the access token. You must specify refresh_token, token_uri, client_id, and client_secret.',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: "smtplib.SMTPAuthenticationError: (534, b'5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor - gsmtp')",
      platform: 'google',
      cause: 'two_factor_enabled',
    },
    {
      text: 'Gmail SMTP: 534-5.7.14 Please log in via your web browser and then try again. Learn more at https://support.google.com/mail/answer/78754 - gsmtp',
      platform: 'google',
      cause: 'account_unconfirmed',
    },
  ])('$text', expectLoginError);

  test.each<NotLoginCase>([
    // a refresh token asked about, not a refresh failing
    {
      text: 'Does Google return a refresh token for responses that were auto-approved? Our PHP app only gets an access token.',
    },
  ])('$text', expectNotLoginError);
});

describe("eBay's Trading API token errors and the classic Azure CLI's lapsed login", () => {
  test.each<LoginCase>([
    {
      text: 'EbayApiError: Auth token is hard expired.\n    at checkEBayResponse (/srv/app/node_modules/ebay-api/lib/errors/index.js:187:15)',
      platform: 'ebay',
      cause: 'token_max_lifetime',
    },
    {
      text: 'eBay relist failed: Auth token is invalid.',
      platform: 'ebay',
      cause: 'unknown',
    },
    {
      text: 'error: We don\'t have a valid access token. Please run "azure login" again.',
      platform: 'microsoft',
      cause: 'unknown',
    },
  ])('$text', expectLoginError);

  test.each<NotLoginCase>([
    // a code number in another field is not eBay's token error
    {
      text: 'eBay AddItem failed with <ErrorCode>240</ErrorCode>, the listing title is too long; item 932 skipped',
    },
  ])('$text', expectNotLoginError);
});

describe("Jira's CAPTCHA refusal and Atlassian's VS Code extension's refused login", () => {
  test.each<LoginCase>([
    {
      text: 'jira.exceptions.JIRAError: JiraError HTTP 403 url: https://jira.example.org/rest/api/2/myself text: CAPTCHA_CHALLENGE; login-url=https://jira.example.org/login.jsp',
      platform: 'atlassian',
      cause: 'account_unconfirmed',
    },
    {
      text: 'Jira in VS Code: Credentials refused for https://jira.example.org/rest (Update Credentials)',
      platform: 'atlassian',
      cause: 'unknown',
    },
  ])('$text', expectLoginError);

  test.each<NotLoginCase>([
    // the CAPTCHA talked about, without Jira's refusal header
    { text: 'Should our Jira login page show a CAPTCHA challenge after three failed attempts?' },
  ])('$text', expectNotLoginError);
});
