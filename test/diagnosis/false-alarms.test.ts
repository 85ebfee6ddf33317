import { diagnose, loadKnowledge } from '../../src/diagnosis';

// Categories of false alarms on the corpus's tune split (issue 10, point 5): negatives the engine
// answered as login errors. Each category is shown on real tune messages (quoted verbatim with their
// source) and on a login error that looks like them and must still be detected.
const knowledge = loadKnowledge();

interface NotLogin {
  text: string;
  /** The public page a real message is quoted from; absent for a made-up variant. */
  source?: string;
  otherKind?: string | null;
}

function expectNotLoginError({ text, otherKind }: NotLogin): void {
  const d = diagnose(text, knowledge);
  expect(d.isTokenError).toBe(false);
  if (otherKind !== undefined) expect(d.otherKind).toBe(otherKind);
}

interface Login {
  text: string;
  platform?: string | null;
  cause: string;
}

function expectLoginError({ text, platform, cause }: Login): void {
  const d = diagnose(text, knowledge);
  expect({ isTokenError: d.isTokenError, cause: d.cause }).toEqual({ isTokenError: true, cause });
  if (platform !== undefined) expect(d.platform).toBe(platform);
}

describe("the app's client credentials or its one-time authorization code refused while connecting", () => {
  test.each<NotLogin>([
    {
      text: `Our Google Ads connector imports data just fine, but once we try to reconfigure it in the settings (eg. change of startDate), we receive *RefreshError('invalid_client: Unauthorized', {'error': 'invalid_client', 'error_description': 'Unauthorized'})* after hitting the "retest source" button.`,
      source: 'https://github.com/airbytehq/airbyte/issues/9779',
      otherKind: 'invalid_request',
    },
    {
      text: `ZCRMSDK.OAuth.Common.ZohoOAuthException: 'Exception while fetching Access Token from grant token{"error":"invalid_code"}'`,
      source: 'https://github.com/zoho/zcrm-csharp-sdk/issues/7',
      otherKind: 'invalid_request',
    },
    {
      text: `"error_description": "The request has an invalid grant parameter : code", "error": "invalid_grant" I'm sure my code time does not exceed the expiration time of 5 minutes, but it still happens. How can I modify it to get the token correctly`,
      source: 'https://github.com/amzn/selling-partner-api-docs/issues/2527',
      otherKind: 'invalid_request',
    },
    {
      text: 'I run the script and open the authorization URL but get "The state token is invalid or has expired". Did I miss something?',
      source: 'https://github.com/googleworkspace/apps-script-oauth2/issues/449',
      otherKind: 'invalid_request',
    },
    {
      text: 'Exchanging the code fails: the authorization code has expired, then redirect_uri_mismatch on the retry',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<Login>([
    // The refresh itself refused: a login error, whatever the client library calls it.
    {
      text: 'google.auth.exceptions.RefreshError: (invalid_grant: Token has been expired or revoked.)',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: `"error_description": "The request has an invalid grant parameter : refresh_token", "error": "invalid_grant"`,
      platform: 'amazon',
      cause: 'unknown',
    },
    // A documented code with a cause keeps the final word: Apple's invalid_client is its expired
    // client secret.
    {
      text: 'Apple Search Ads token call: {"error":"invalid_client"} since the client secret JWT we signed in May',
      platform: 'apple',
      cause: 'token_max_lifetime',
    },
  ])('still a login error: $text', expectLoginError);
});
