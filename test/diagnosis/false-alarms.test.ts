import { PhraseSchema } from '../../src/diagnosis/knowledge-schema';
import {
  expectLoginError,
  expectNotLoginError,
  type LoginCase,
  type NotLoginCase,
} from '../support/expect-diagnosis';

// Categories of false alarms on the corpus's tune split (issue 10, point 5): negatives the engine
// answered as login errors. Each category is shown on real tune messages (quoted verbatim with their
// source) and on a login error that looks like them and must still be detected.

describe("the app's client credentials or its one-time authorization code refused while connecting", () => {
  test.each<NotLoginCase>([
    {
      // tune nl-130: invalid_grant at the code exchange
      text: 'Error when get User tokens: Status Code: 400 invalid_grant\n\nWhen I got url, paste it on browser, login ebay, grand permision, and got return url with code\n\nget the error: Status Code: 400 invalid_grant: the provided authorization grant code is invalid or was issued to another client',
      source: 'https://github.com/davidtsadler/ebay-sdk-php/issues/212',
      otherKind: 'invalid_request',
    },
    {
      // tune nn-223: invalid_grant at the code exchange
      text: "I wanted to ask if it's possible to use expo-auth-session for Google and send the **code** to my backend server to exchange it for **access token**. Currently I'm receiving **invalid_grant** error from Google APIs, but when I tweak the expo-auth-session code to not use the **code challange** I'm able to exchange it for user **access token.**\n\nSince I cannot set any params to my redirect URI, my server doesn't know about **code verifier**. So I guess that's a reason why I'm receiving this error (?)",
      source: 'https://github.com/expo/expo/issues/13642',
      otherKind: 'invalid_request',
    },
    {
      // tune nn-259: invalid_grant at the code exchange
      text: 'invalid_grant ao tentar gerar o Access Token\nEstou usando o exemplo em C# para implementar a API em meu sistema de gestão.\nEu consegui gerar o Authorization Code normalmente, porém, ao tentar gerar o Access Token, recebo o erro "invalid_grant"\nO dados postados são:\nclient_id=xxxxxx&client_secret=yyyyy&code=zzzzz&grant_type= authorization_code&redirect_uri=minha_uri\nObviamente, por razoes de seguranca, omiti os dados verdadeiros.',
      source: 'https://github.com/Sage/sageone_br_nfe_documentacao_api/issues/33',
      otherKind: 'invalid_request',
    },
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

  test.each<LoginCase>([
    // The refresh itself refused: a login error, whatever the client library calls it.
    {
      // A refresh refused after the code was exchanged long ago: the login lapsed.
      text: 'We exchanged the authorization code for a token in March and it worked until today; now the refresh fails with invalid_grant: Token has been expired or revoked.',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: 'Unable to receive access token because of an invalid authorization code or refresh token. Getting that error from time to time after the Zoho update.',
      platform: 'zoho',
      cause: 'unknown',
    },
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

  test('overridesLogin stands for an otherKind, so a phrase without one is refused at start', () => {
    expect(
      PhraseSchema.safeParse({ pattern: 'invalid_client', tokenError: true, overridesLogin: true }).success,
    ).toBe(false);
    expect(
      PhraseSchema.safeParse({
        pattern: 'invalid_client',
        otherKind: 'invalid_request',
        overridesLogin: true,
      }).success,
    ).toBe(true);
  });
});

describe('how logins behave, told to the reader as a rule (docs, changelogs, support replies)', () => {
  test.each<NotLoginCase>([
    {
      text: 'In case of Sources that use OAuth for user authorization, you need to reauthorize Hevo whenever there is a change in the account or Pipeline configuration.',
      source:
        'https://docs.hevodata.com/pipelines/working-with-pipelines/modifying-a-pipeline/reauthorizing-source-account/',
    },
    {
      text: "Generally if you reset your password, you will have to reset the FB integration, this is a limitation we're working on addressing in the near future.",
      source: 'https://github.com/facebook/facebook-for-woocommerce/issues/55',
    },
    {
      text: "- Organic redirect URIs are normalized to TikTok's required trailing slash. - Organic tokens refresh automatically; Marketing API tokens require reauthorization when rejected.",
      source: 'https://github.com/sixb-ai/sixb/pull/456',
    },
    {
      text: 'Things that make the access_token invalid: - It expires 60 days after it was created (in this case it can be refreshed prior to expiry or each use, so it becomes 60 days from last use, someone always posting would never have to do anything) - It expires when the user changes their password (in this case, the service can be re-authed, sometimes requires user interaction)',
      source: 'https://github.com/diaspora/diaspora/issues/4188',
    },
    { text: 'Typically, when the user revokes the app, Pinterest answers 401 and you need to reconnect.' },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // The same words from someone it happened to: first person, past, no rule.
    {
      text: 'I have to reauthorize Hevo whenever I open the pipeline: it says the Google Ads token has been revoked',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: 'Since I reset my Facebook password the integration needs to be reconnected',
      platform: 'meta',
      cause: 'password_changed',
    },
    // What normally happens set against what broke, and a lapse explained by a rule, are reports.
    {
      text: 'Normally when the user connects it works, but now HubSpot says the refresh token is invalid',
      platform: 'hubspot',
      cause: 'unknown',
    },
    {
      text: 'Reconnecting in Zapier will invalidate the old token, and our Make scenario now fails with invalid_grant',
      cause: 'unknown',
    },
    {
      text: 'Dropbox is deprecating long-lived tokens, so our nightly backup now fails with expired_access_token',
      platform: 'dropbox',
      cause: 'unknown',
    },
    {
      text: 'Jira keeps logging us out: the refresh token has expired after 30 days',
      platform: 'atlassian',
      cause: 'token_max_lifetime',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('asking how a platform behaves when a login lapses, before it has', () => {
  test.each<NotLoginCase>([
    {
      text: 'BOX refresh token expires in 60 days. Instead of waiting for 60 days to see what happens, can you tell me what Box does when that happens? Does Box issue a new refresh token?',
      source: 'https://github.com/box/box-java-sdk/issues/114',
    },
    {
      text: 'What should be the response from Basecamp REST API if I provide an expired access token? What should be the response if I try to request new access token using refresh token and this refresh token is stale (e.g. user changed password)?',
      source: 'https://github.com/basecamp/bcx-api/issues/204',
    },
    { text: 'What does the Xero API do when the refresh token has expired? Is it a 401 or invalid_grant?' },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      text: 'What should I do? The Box refresh token has expired and every sync fails with invalid_grant',
      platform: 'box',
      cause: 'unknown',
    },
    {
      text: 'The Zoho refresh token was revoked again. What will I do when it expires during the month-end export?',
      platform: 'zoho',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('developers writing about their own handling of logins (changes, UX, UI flow)', () => {
  test.each<NotLoginCase>([
    {
      text: 'HubSpot access tokens expire after 30 minutes. This issue makes expiry invisible to organizers by refreshing tokens automatically, and adds a clean "Disconnect" flow that removes all credentials both locally and at HubSpot.',
      source: 'https://github.com/fossasia/eventyay-hubspot/issues/9',
    },
    {
      text: 'I think the user experience could be improved when Google credentials are expired or revoked. I see that we have a `reauth` parameter in `read_gbq` and `to_gbq` but this will cause the authentication to run each time even if the credentials are valid to cater for the environment where there are multiple users.',
      source: 'https://github.com/googleapis/python-bigquery-pandas/issues/50',
    },
    {
      text: 'Typeform app: Return to "Connect to Typeform" screen when token is expired',
      source: 'https://github.com/contentful/apps/pull/94',
    },
    { text: 'Redirect to the settings page when the Zoom token has expired, with a reconnect button' },
    { text: 'When the Pinterest token is revoked, this change adds a "Reconnect" button to the settings.' },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      text: 'The Typeform app keeps returning to the Connect screen: the token has expired',
      platform: 'typeform',
      cause: 'unknown',
    },
    {
      text: 'This issue introduces a lot of pain for us: the HubSpot token expired again and the sync stopped',
      platform: 'hubspot',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('another kind of credential refused, told by its documented message (setup, not a lapse)', () => {
  test.each<NotLoginCase>([
    {
      // The one-time authorization code, told as "the given code" or "code".
      text: 'SessionsController# (OAuth2::Error) "invalid_grant: The given code has expired. {"error":"invalid_grant","error_description":"The given code has expired."}"',
      source: 'https://github.com/Founden/doers/issues/12',
      otherKind: 'invalid_request',
    },
    {
      text: `{ "error": "invalid_grant", "error_description": "code doesn't exist or has expired" }`,
      source:
        'https://avyl.ru/1c/OpenIntegrations/raw/commit/6bf8d0f89e85f76799a8e204c6b8fe78e3fd921c/docs/en/results/Dropbox/GetToken.log',
      otherKind: 'invalid_request',
    },
    // No credential sent at all.
    {
      text: `Hello all I'm trying to reach google analytics scope in order to get the total visitors to my sit but i get this error when I use the json file of Outh 2.0  in the setConfig method \n\`\`\`\n{\n    "error": {\n        "code": 401,\n        "message": "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",\n        "errors": [\n            {\n                "message": "Login Required.",\n                "domain": "global",\n                "reason": "required",\n                "location": "Authorization",\n                "locationType": "header"\n            }\n        ],\n        "status": "UNAUTHENTICATED",`,
      source: 'https://github.com/googleapis/google-api-php-client/issues/2479',
      otherKind: 'invalid_request',
    },
    {
      text: 'mailchimp 3.0 authentication fails\n\n{"type":"http://kb.mailchimp.com/api/error-docs/401-api-key-missing",\n "title":"API Key Missing",\n "status":401,"detail":\n "Your request did not include an API key.",\n "instance":"(long number)"\n}',
      source: 'https://whosebug.com/question/710200/mailchimp-3-0-authentication-fails',
      otherKind: 'invalid_request',
    },
    {
      text: "1. Azure Monitor: Unauthorized: AuthenticationFailedMissingToken. Authentication failed. The 'Authorization' header is missing the access token.\n\nThis error usually means that either the tenant id, client id or client secret is incorrect. These three are needed to fetch a token from the Azure Monitor API.",
      source: 'https://github.com/grafana-cold-storage/azure-monitor-datasource/issues/21',
      otherKind: 'invalid_request',
    },
    // A working token that lacks a scope or permission.
    {
      text: `I went to the Graph API Explorer and typed in my opencart sql data and i got the following message:\n{\n  "error": {\n    "message": "The 'manage_pages' permission must be granted before impersonating a user's page.",\n    "type": "OAuthException",\n    "code": 190,`,
      source: 'https://github.com/facebookarchive/Facebook-For-OpenCart/issues/144',
      otherKind: 'permission_missing',
    },
    {
      text: 'Invalid access token, ... does not contain required scopes. - scope issue for S2S Zoom GraphQL query',
      source: 'https://taourl.com/read-2561257.html',
      otherKind: 'permission_missing',
    },
    // A request or webhook signature.
    {
      text: 'Profile picture not loading intermittently when using Google Cloud Storage bucket. File uploads seems to be okay. Console log thrown error 400 from GCS (ExpiredToken). What is that?\n\n<Error>\n<Code>ExpiredToken</Code>\n<Message>The provided token has expired.</Message>\n<Details>\nRequest signature expired at: 2018-11-06T12:43:10+00:00\n</Details>\n</Error>',
      source: 'https://github.com/RocketChat/Rocket.Chat/issues/12545',
      otherKind: 'invalid_request',
    },
    {
      text: 'When testing the Facebook webhook from the Facebook Developer Console, the signature validation was failing with "Invalid signature" error:\n\nInvalid signature\nInvalid signature\nInvalid signature\n\nHTTP 401 Unauthorized responses were being returned.',
      source: 'https://docs.jaalyantra.com/docs/reference/webhooks/signature-fix',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // Google's answer to an expired token, next to the missing-credential message above.
      text: 'When importing data from Google Analytics I get this error message:\n`{ "error": { "code": 401, "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: "Between approx 21.30GMT and 21.55GMT on 27th May 2023 every single SP-API call for 1000's of sellers were rejected with error:\n\nHTTPStatus = 403 Unauthorized The security token included in the request is expired",
      platform: 'amazon',
      cause: 'unknown',
    },
    {
      text: 'Every call to the Zoom API returns {"code":124,"message":"Invalid access token."} since this morning',
      platform: 'zoom',
      cause: 'unknown',
    },
    {
      text: 'The Dropbox sync fails: the refresh token has expired and the code we saved at setup no longer works',
      platform: 'dropbox',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('developers planning how their software handles a lapsed login (feature titles, "should", "how to catch")', () => {
  test.each<NotLoginCase>([
    {
      text: 'feat: pipedrive invalid grant should autopause',
      source: 'https://github.com/supaglue-labs/supaglue/pull/1920',
    },
    {
      text: "feat(snowflake): Add support for OAuth 2.0 authentication\n        Match Snowflake's invalid/expired OAuth token error, whether it arrives\n        wrapped by SQLAlchemy (e.g. ``Engine``-based execution) or as the raw\n        DBAPI exception — ``BaseEngineSpec.execute()`` runs against a bare\n        cursor and never wraps it, so both shapes must be handled here.",
      source: 'https://github.com/apache/superset/pull/36856',
    },
    {
      text: 'refresh access tokens automatically, or log the user out\n### Expired access token, REVOKED refresh token should sign out',
      source: 'https://github.com/mozilla/fx-private-relay/pull/1111',
    },
    {
      text: 'If the access token stored in the database in the column "password" is not longer valid (let\'s say store closed and reopened, app uninstalled and webhook not listened, even secret of the app changed) the app should renegotiate a new access token.',
      source: 'https://github.com/Kyon147/laravel-shopify/issues/142',
    },
    {
      text: "What happens if the access token has expired or has been revoked?\nIf we don't get any more watch events, then I think we're ok. \nIf we do still get updates from Google, we'll need to avoid trying to sync expired tokens.",
      source: 'https://github.com/webhookdb/webhookdb/issues/554',
    },
    {
      text: 'catch google session expiry\nHow can I catch the error OAUTH_TOKEN_INVALID after the access token expire to let the user redirect to the connect page with a message and not see the error ???',
      source: 'https://github.com/googleads/googleads-php-lib/issues/259',
    },
    {
      text: "How to handle UNAUTHENTICATED errors\nThis might work, but at some point you will need to get a new access token, and presumably that will fail again with the same error. I'd recommend upgrading your dependencies if at all possible.",
      source: 'https://github.com/googleads/google-ads-java/issues/786',
    },
    {
      text: 'Anyone knows the best strategy to deal with situation where the SF instance enforces password expiration and account lock? It seems very impractical to deal with changing the password and ensure that no errand process will use the old password and lock the account by the time the updated password + token propagate thru.',
      source: 'https://github.com/restforce/restforce/issues/272',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // Someone whose connection broke, asking what reconnecting does.
    {
      text: 'The Shopify token has expired again. What happens if I reconnect: do the old orders import twice?',
      platform: 'shopify',
      cause: 'unknown',
    },
    // A fix's title tells the failure it fixes.
    {
      text: 'fix: HubSpot sync stops when the refresh token has expired',
      platform: 'hubspot',
      cause: 'unknown',
    },
    // "should" in a complaint about what did not happen.
    {
      text: 'The Xero connection should refresh by itself, but the token has expired again and I had to reconnect',
      platform: 'xero',
      cause: 'unknown',
    },
    {
      text: 'How can I fix this? The Pipedrive token has expired again',
      platform: 'pipedrive',
      cause: 'unknown',
    },
    // Someone whose connection just broke asking how to cope, in a customer's words.
    {
      text: 'Our Salesforce connection keeps failing with "expired access/refresh token". What is the best way to handle this?',
      platform: 'salesforce',
      cause: 'unknown',
    },
    {
      text: 'The Google Ads connection broke again this morning: Token has been expired or revoked. How do we detect this before the reports go empty?',
      platform: 'google',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('credentials never right for this connection, or a sign-in method retired (setup, not a lapse)', () => {
  test.each<NotLoginCase>([
    {
      text: "Can't modify Invalid API Key\nAfter inputting an invalid API key for Page Speed Insights GDS connector... How do you change it? Tried to remove & deauthorize. But it now defaults to URL input with no option to edit the API Key field.",
      source: 'https://github.com/googledatastudio/community-connectors/issues/100',
      otherKind: 'invalid_request',
    },
    {
      text: 'Google OAuth 1 Deprecated\nThe Dashboard widget stopped working on one of my sites, and when I went to re-authorize it I got only this error page from Google: https://support.google.com/a/answer/6224347?p=oauth&rd=1\n\n"You’re being redirected to this article because the application you’re using uses OAuth 1.0, and we only support the newer OAuth 2.0 at this time."',
      source: 'https://github.com/awesomemotive/google-analytics-dashboard/issues/13',
      otherKind: 'invalid_request',
    },
    {
      text: 'the error message "Authentication Error - Check your username and password.". I am for sure that my password is correct. EWS URL is https://outlook.office365.com/EWS/Exchange.asmx\n\nAccording to your URL you have an Office 365 mailbox. There is a strong chance that basic authentication is no allowed by your admins (Microsoft deprecated basic authentication on EWS endpoint a while ago).',
      source: 'https://github.com/mguessan/davmail/issues/95',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // Entra's AADSTS70000 (a refresh token not valid) told as a token from another client id: the
      // stored login no longer fits this app (a client upgrade changed its id), and signing in again is the fix.
      text: "After updating the OneDrive sync client nothing uploads: AADSTS70000: The provided value for the input parameter 'refresh_token' or 'assertion' is not valid. The token was issued for a different client id",
      platform: 'microsoft',
      cause: 'unknown',
    },
    {
      text: 'I entered the API key again, but the Xero token has expired again and the sync stopped',
      platform: 'xero',
      cause: 'unknown',
    },
    {
      text: 'We moved the Outlook connection off basic auth last year; since Monday it fails with "The refresh token has expired due to inactivity"',
      cause: 'refresh_token_inactive',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('preventing a lapse before it happens: a developer planning', () => {
  test.each<NotLoginCase>([
    {
      text: 'proactively fetch new access token, if expired\nPR calculates the value of needToRefreshToken proactively, and tries to prevent calling BingAdsApi with expired AccessToken.',
      source: 'https://github.com/BingAds/BingAds-dotNet-SDK/pull/84',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      text: 'The LinkedIn access token expired yesterday before we could renew it, and every post now fails',
      platform: 'linkedin',
      cause: 'unknown',
    },
    {
      // Someone whose connection keeps lapsing, asking for a warning before the next time.
      text: 'The Facebook token expired again. Can we get an alert before it expires next time? It is going to expire again in 60 days.',
      platform: 'meta',
      cause: 'unknown',
    },
    {
      // A customer who already reconnected ahead of time, and it lapsed anyway.
      text: 'We proactively reconnected the LinkedIn page last week, but today every post fails again: "The token used in the request has expired"',
      platform: 'linkedin',
      cause: 'token_max_lifetime',
    },
  ])('still a login error: $text', expectLoginError);
});

describe("a change's title or changelog line in the imperative", () => {
  test.each<NotLoginCase>([
    {
      text: '- **Add refresh LinkedIn tokens before posting**\n- LinkedIn token now refreshes automatically before posting, reducing the risk of errors due to expired tokens.',
      source: 'https://github.com/motormetrics/motormetrics/pull/192',
    },
    {
      text: 'add oauth faq for actions destination\nIt’s good to have it added, as expired tokens do not usually affect data delivery',
      source: 'https://github.com/segment-boneyard/segment-docs/pull/5656',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      text: 'Added the LinkedIn page yesterday; today every post fails because the access token has expired',
      platform: 'linkedin',
      cause: 'token_max_lifetime',
    },
    {
      text: 'Support told me the Pinterest token was revoked and I have to reconnect',
      platform: 'pinterest',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe("a lapse the platform documents, next to another kind's wording", () => {
  // The platform's own message that the login expired or was revoked (a code-table row with a cause
  // and that message) keeps the verdict over another kind's wording beside it, wherever each stands;
  // another kind's documented code still decides.
  test.each<LoginCase>([
    // Real tune items of the category (pc5-016, pw15-054): Google's documented invalid_grant message
    // beside server-error wording ("try again later", "Unexpected error").
    {
      text: 'We could not retrieve and/or refresh your access token due to the following error: The external API returned an error when trying to refresh the access token. Please try again later. { "external_message": "Response Error: 400 Bad Request", "external_request_details": { "statusCode": 400, "payload": { "statusCode": 400, "error": "Bad Request", "message": "Response Error: 400 Bad Request" }, "headers": {} }, "dataMessage": { "error": "invalid_grant", "error_description": "Token has been expired or revoked." } }',
      source: 'https://github.com/NangoHQ/nango/issues/1016',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: 'I mount two Google accounts as two drives on Ubuntu.  One seems to be stable the other disappears randomly and I have no idea why.\n\nI get a log file gdfuse.log under the label I\'m using for the drive. In there, there is this :\n\n[1.498596] TID=4: Error during request: Unexpected error response: {\n  "error": "invalid_grant",\n  "error_description": "Token has been expired or revoked."\n}',
      source: 'https://github.com/astrada/google-drive-ocamlfuse/issues/865',
      platform: 'google',
      cause: 'unknown',
    },
    // The retired sign-in method is what the writer moved off; the lapse is what broke today.
    {
      text: 'Basic auth was retired so we switched the Gmail connector to OAuth; today it says Token has been expired or revoked.',
      platform: 'google',
      cause: 'unknown',
    },
    // The one-time code refused while reconnecting, after the platform's own lapse message.
    {
      text: 'Reconnecting Dropbox fails: the code you entered has expired. The sync log before that said: The access token has expired.',
      platform: 'dropbox',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);

  test.each<NotLoginCase>([
    // A code shared by every OAuth platform (invalid_grant) or a catch-all (Meta's 190, Google's
    // UNAUTHENTICATED) is not a documented lapse on its own: the tune negatives nf-011 here and
    // nb-048, ni-055, nk-066, nf-058 and nf-025 above keep their other kind.
    {
      text: 'While going thru the Authorization process, we keep getting an error when trying to retrieve the refresh + access token. \n\n`{"error_description":"The request has an invalid grant parameter : code","error":"invalid_grant"}`',
      source: 'https://github.com/amzn/amazon-advertising-api-php-sdk/issues/8',
      otherKind: 'invalid_request',
    },
    // Another kind's documented code still decides.
    {
      text: 'Google Ads: {"errorCode": {"authorizationError": "USER_PERMISSION_DENIED"}} and earlier Token has been expired or revoked.',
      otherKind: 'permission_missing',
    },
    // No documented lapse, only the writer's words for one: the one-time code refused while
    // reconnecting, and a request sent with no token, are what the platform answered. Letting login
    // wording that comes first outweigh such wording adds 13 false alarms on the tune split
    // (ni-049, nk-066, ni-055, nh-029, …) and no detection.
    {
      text: 'While reconnecting after the token expired, it said the code you entered has expired.',
      otherKind: 'invalid_request',
    },
    {
      text: 'After the lapse the API answers: Authorization header is missing the access token.',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);
});

describe("SDK error names that are another problem, or an app's own session", () => {
  test.each<NotLoginCase>([
    // jsonwebtoken's TokenExpiredError is an app's own JWT, not a platform login: only oauthlib's
    // shapes of the name read as a login error.
    { text: 'TokenExpiredError: jwt expired at /app/node_modules/jsonwebtoken/verify.js:152:21' },
    // OpenID Connect's login_required is Django's decorator too: a table code only after MSAL's names.
    {
      text: 'We use the @login_required decorator from Django with Microsoft accounts; the view still says login_required',
    },
    // Tune ni-049: the S3-style ExpiredToken for a signed URL that ran out is the request, not the login.
    {
      text: 'Console log thrown error 400 from GCS (ExpiredToken). <Error> <Code>ExpiredToken</Code> <Message>The provided token has expired.</Message> <Details> Request signature expired at: 2018-11-06T12:43:10+00:00</Details></Error>',
      otherKind: 'invalid_request',
    },
    // MSAL's documented look-alikes: scopes declined, a server error.
    { text: 'Error Domain=MSALErrorDomain Code=-50003 "(null)"', otherKind: 'permission_missing' },
    {
      text: 'FirebaseError: Firebase: We have blocked all requests from this device due to unusual activity. Try again later. (auth/too-many-requests).',
      otherKind: 'rate_limited',
    },
  ])('$text', expectNotLoginError);
});

describe('test and live environments mixed up (sandbox keys or login URL against production, or back)', () => {
  test.each<NotLoginCase>([
    {
      // tune nl-189
      text: "Braintree gateway Authentication Error on production\n\nI used django merchant for the sandbox account which worked perfectly. And when I turned to production, a AuthenticationError has been thrown.\n\nI changed the braintree configuration for the production, Braintree say it's correct but I've still this error. I also changed merchant_test_mode to false.\n\nDoes someone know about this issue ?",
      source: 'https://github.com/agiliq/merchant/issues/105',
      otherKind: 'invalid_request',
    },
    {
      // tune nl-193
      text: 'E00007:User authentication failed due to invalid authentication values.\n\nWhen I\'m using sandbox.authorize.net merchant API and Signature it was working when it changes to production then IT sends this error.\n"message":[{"code":"E00007","text":"User authentication failed due to invalid authentication values."}]',
      source: 'https://github.com/AuthorizeNet/sdk-php/issues/426',
      otherKind: 'invalid_request',
    },
    {
      // tune nl-197
      text: 'Sandbox no working now, production is still good\n\nAfter clicked pay now button in sandbox, got this error message:\n{\n    "name": "AUTHENTICATION_FAILURE",\n    "debug_id": "84349096046be",\n    "message": "Authentication failed due to invalid authentication credentials or a missing Authorization header",\n    "information_link": "https://developer.paypal.com/docs/api/payment-experience/#errors",\n    "details": []\n}\nPlease kindly review this.',
      source: 'https://github.com/thinhvo0108/react-paypal-express-checkout/issues/51',
      otherKind: 'invalid_request',
    },
    {
      // tune nm-233
      text: 'Connecting to Sandboxes\nI do not seem to be able to authenticate against sanboxes. Production works well, but sandboxes always return an authentication failure. I believe it is to do with https://login.salesforce.com/services/oauth2/token being set as the authentication URL in the SalesforceRestClientImpl class as opposed to https://test.salesforce.com/services/oauth2/token for a sandbox.',
      source: 'https://github.com/jcustenborder/kafka-connect-salesforce/issues/38',
      otherKind: 'invalid_request',
    },
    {
      // tune nm-235
      text: "Contemplating FUEL API Sandbox URL when SOAP endpoint points to Sandbox\nFor sandbox accounts, the SDK will return a 401 status when trying to retrieve a token since it's pointing to the production fuel API URL. I've made a small update to allow sandbox accounts to connect to the api.",
      source: 'https://github.com/salesforce-marketingcloud/FuelSDK-CSharp/pull/5',
      otherKind: 'invalid_request',
    },
    {
      // tune nm-236
      text: 'Salesforce OAuth2 API Credentials Not Working for Sandbox\nWhen attempting to create a Salesforce Credential for a Sandbox environment, the Production authentication URL is launched, preventing a successful connection.\n\n4. A pop-up will launch to enter your Salesforce credentials, however, the URL begins \'https://login.salesforce.com/...\' which does not allow for Sandbox login.\n5. Received "Error: The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."',
      source: 'https://github.com/n8n-io/n8n/issues/14999',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // A lapse in one environment, told without setting it against the other.
    {
      text: "Our Salesforce sandbox connection fails since this morning with 'expired access/refresh token'",
      platform: 'salesforce',
      cause: 'unknown',
    },
    {
      text: 'GET https://api.sandbox.ebay.com/sell/inventory/v1/inventory_item resulted in a 401 Unauthorized: the eBay refresh token is invalid',
      platform: 'ebay',
      cause: 'unknown',
    },
    // One lapse showing in both environments is still a lapse.
    {
      text: 'The QuickBooks sync broke in both sandbox and production: the refresh token has expired and every call returns 401',
      platform: 'quickbooks',
      cause: 'unknown',
    },
    {
      text: 'Tried both production and sandbox: the Xero token has been revoked in each',
      platform: 'xero',
      cause: 'unknown',
    },
    // A sandbox named only to rule it out: the production login lapsed.
    {
      text: 'Our QuickBooks connection to the production company stopped: refresh token expired (invalid_grant). Not sandbox.',
      platform: 'quickbooks',
      cause: 'unknown',
    },
    {
      text: 'Shopify: 401 [API] Invalid API key or access token. We never had a sandbox, this is our live store.',
      platform: 'shopify',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('the same token works for other calls, only one API or resource is refused', () => {
  test.each<NotLoginCase>([
    {
      // tune nl-200
      text: '**Describe the bug**\nThe Assets API fails with an Unauthorized response yet the Accounting API with the same token/tenant works fine\n`ApiException: Xero API error calling GetAssets: {"Type":null,"Title":"Unauthorized","Status":401,"Detail":"AuthorizationUnsuccessful","Instance":"2f3c568c-8d99-40c3-af5e-ba06f76fb23d","Extensions":{}}`',
      source: 'https://github.com/XeroAPI/Xero-NetStandard/issues/298',
      otherKind: 'permission_missing',
    },
    {
      // tune ng-047
      text: 'I am explicitly providing my tenant id, but the API calls still fail. This is only an issue for projects and files.\n\nThe same code below will work for invoices, users etc etc.\n```python\n{"Type":null,"Title":"Forbidden","Status":403,"Detail":"AuthenticationUnsuccessful","Instance":"<my_instance_id>","Extensions":{}}\n```',
      source: 'https://github.com/XeroAPI/xero-python/issues/116',
      otherKind: 'permission_missing',
    },
    {
      // tune nl-140
      text: 'Can\'t get Question details anymore? Says "invalid_token".\n\nEverything was working fine for my company but since the servers went down it all came back and I can\'t get the question details anymore with the access_token.\n\nThis is the JSON I get:\n\n{"message":"invalid_token","cause":[],"error":"not_found","status":401}\n\nThe token is working fine, as we can get the orders, items, just fine, only the questions resources are returning this error. Please, help!',
      source: 'https://github.com/mercadolibre/api/issues/69',
      otherKind: 'permission_missing',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // The same token that worked before: a lapse, told in the past tense.
    {
      text: 'With the same token everything worked until Monday; now HubSpot says the refresh token is invalid',
      platform: 'hubspot',
      cause: 'unknown',
    },
    // The access token still valid while the renewal fails: the login is lapsing.
    {
      text: 'The access token is still valid, but refreshing fails with invalid_grant: Token has been expired or revoked',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('a scope or permission missing, told beside login words (a 401, "stale OAuth token", "expired")', () => {
  test.each<NotLoginCase>([
    {
      // tune nm-145: a right the account lacks, beside a 401
      text: 'So, I\'m the Agency Admin on my account and I\'m trying to install a private app from the Marketplace, but it keeps saying "You do not have access to this feature! Please contact the admin!"\n```\n{\n    "status": 401,\n    "message": "You do not have access to this feature! Please contact the admin!",\n    "name": "HttpException",\n    "traceId": "0802b346-1436-4773-b43b-9f82cb0684d4"\n}\n```',
      source: 'https://github.com/GoHighLevel/ghl-marketplace-app-template/issues/13',
      otherKind: 'permission_missing',
    },
    {
      // tune nm-208: a right the account lacks, beside a 401
      text: 'Everytime when I connect with pinterest, it will be failed, and the code as follow:\n\n{"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.","data":{"status":401}}',
      source: 'https://github.com/woocommerce/pinterest-for-woocommerce/issues/1000',
      otherKind: 'permission_missing',
    },
    {
      // tune nn-002
      text: "Auto-refreshing stale OAuth token.\nError in `gargle_abort_request_failed()`:\n! Client error: (403) PERMISSION_DENIED\n• Client does not have sufficient permission. This can happen because the OAuth token does\n  not have the right scopes, the client doesn't have permission, or the API has not been\n  enabled for the client project.\n• Request had insufficient authentication scopes.",
      source: 'https://github.com/Openscapes/kyber/issues/27',
      otherKind: 'permission_missing',
    },
    {
      // tune nk-002
      text: '401 “The caller does not have permission” Error Authorizing a Google Drive Connection in Workflows\n{\n"error": {\n"code": 401,\n"message": "The caller does not have permission",\n"errors": [\n{\n"message": "Active session is invalid. Error code: 4",\n"domain": "global",\n"reason": "authError",\n"location": "Authorization",\n"locationType": "header"\n},',
      source:
        'https://help.moveworks.com/ai-assistant/enterprise-search/configure-search/configure-files/troubleshooting-file-ingestion-with-google-drive',
      otherKind: 'permission_missing',
    },
    {
      // tune nk-014
      text: 'When your n8n workflow suddenly throws a 403 "Forbidden" error with Google APIs, the immediate assumption is often that your OAuth token has expired. But in many cases, the token is perfectly valid — it just lacks the specific permissions needed for the operation you\'re attempting.',
      source: 'https://growwstacks.com/blog/fix-google-403-errors-n8n-oauth2-scopes/',
      otherKind: 'permission_missing',
    },
    {
      // tune nl-203
      text: 'updateTenants() requires accounting.settings.read scope\n\nThe updateTenants() method requires the accounting.settings.read scope otherwise it fails with an auth error. Would be good to mention this in the documentation',
      source: 'https://github.com/XeroAPI/xero-node/issues/384',
      otherKind: 'permission_missing',
    },
    {
      // tune nn-230
      text: 'Instagram Access Token anfordern -> "Invalid scope"\nWir haben einen Instagram Feed wie in der Dokumentation beschrieben eingerichtet. Beim Anfordern des Access Token bekommen wir allerdings folgende Fehlermeldung. Dazu konnten wir in der Doku nichts finden.\n\n`{"error_type": "OAuthException", "code": 400, "error_message": "Invalid scope: []"}`',
      source: 'https://github.com/pdir/social-feed-bundle/issues/32',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // The platform's own lapse message keeps the verdict beside scope words.
    {
      text: 'Google Sheets sync: invalid_grant: Token has been expired or revoked. Before that it said the caller does not have permission.',
      platform: 'google',
      cause: 'unknown',
    },
    // A suspended account that may no longer use a feature (tune ho-pos-056): X's documented code
    // keeps the verdict.
    {
      text: "TweepError at /retweet/ [{'message': 'Your account is suspended and is not permitted to access this feature.', 'code': 64}]",
      source: 'https://github.com/tweepy/tweepy/issues/362',
      platform: 'x',
      cause: 'account_unconfirmed',
    },
    // Scopes named only to rule them out, and a login that lapsed.
    {
      text: 'All the scopes are granted and it worked for months, but since Monday HubSpot says the refresh token is invalid',
      platform: 'hubspot',
      cause: 'unknown',
    },
    {
      text: 'The Salesforce user has every permission the connected app needs; the sync fails with INVALID_SESSION_ID: Session expired or invalid',
      platform: 'salesforce',
      cause: 'unknown',
    },
    // A missing permission only guessed at, in a question, beside a lapse.
    {
      text: 'The QuickBooks token expired. Is it because the user lacks the required permissions? We reconnected before and it worked.',
      platform: 'quickbooks',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('throttled at the sign-in endpoint or the API, told beside login words', () => {
  test.each<NotLoginCase>([
    {
      // tune nn-045
      text: 'Garmin Authentication error: Too many requests\nThere seems to be an authentication error with Garmin on your version of [python-garminconnect](https://github.com/cyberjunky/python-garminconnect).\n\nLog:\n`Login failed: Error in request: 429 Client Error: Too Many Requests for url: https://sso.garmin.com/sso/signin?id=gauth-widget&embedWidget=true&gauthHost=https%3A%2F%2Fsso.garmin.com%2Fsso%2Fembed&service=https%3A%2F%2Fsso.garmin.com%2Fsso%2Fembed&source=https%3A%2F%2Fsso.garmin.com%2Fsso%2Fembed&redirectAfterAccountLoginUrl=https%3A%2F%2Fsso.garmin.com%2Fsso%2Fembed&redirectAfterAccountCreationUrl=https%3A%2F%2Fsso.garmin.com%2Fsso%2Fembed (status=None)`',
      source: 'https://github.com/pinionless/garmin-to-dawarich-sync/issues/12',
      otherKind: 'rate_limited',
    },
    {
      text: 'Strava sign-in fails: the token request got 429 Too Many Requests, authentication failed for every athlete this hour',
      otherKind: 'rate_limited',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // The login lapsed, and the writer rules a rate limit out.
    {
      text: 'The Garmin login fails because the token has expired; it is not too many requests, we sync once a day',
      platform: 'garmin',
      cause: 'unknown',
    },
    {
      text: 'Strava says the refresh token is invalid and authentication failed; no rate limit was hit',
      platform: 'strava',
      cause: 'unknown',
    },
    // Throttled once, then the login lapsed: the lapse told after the limit is what is wrong now.
    {
      text: 'Got 429 too many requests yesterday, and today the Xero connection says invalid_grant, refresh token expired.',
      platform: 'xero',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe("the connect flow's CSRF or state check refused the callback", () => {
  test.each<NotLoginCase>([
    {
      // tune nn-284
      text: "Set a more helpful message for the CSRF callback exception\nWithout this it's hard to see that it was a CSRF protection issue, since it just shows as an invalid credentials issue.",
      source: 'https://github.com/omniauth/omniauth-oauth2/pull/50',
    },
    {
      // tune nn-287
      text: 'CallbackError or invalid_credentials rasied by params[:state] check is confusing\nWhen params[:state] check fails, omniauth-oauth2 raises a generic CallbackError with no description or labeling.\n\nLikewise, "invalid_credentials" would immediately imply authentication failure on the provider-side, since OAuth clients do not perform any user authentication at all during the authorization phase.\n\nThe params[:state] check is a client-side validation, at a bare minimum it should be reported as something different from provider-originated errors. It\'d be better if a CSRF alert can be included either in the exception or the log on params[:state] check fails.',
      source: 'https://github.com/omniauth/omniauth-oauth2/issues/33',
    },
    {
      text: 'Connecting Xero fails: (csrf_detected) CSRF detected, authentication failure on the callback',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // CSRF named without a failure, beside a lapse.
    {
      text: 'The CSRF token is fine; the HubSpot refresh token has expired and every sync fails',
      platform: 'hubspot',
      cause: 'unknown',
    },
    // An IMAP "Invalid state" is not the OAuth state check.
    {
      text: 'Gmail IMAP: BAD Command received in Invalid state after the access token expired',
      platform: 'google',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('the opposite bug: a revoked or removed login that still works', () => {
  test.each<NotLoginCase>([
    {
      // tune nh-044
      text: 'Revoked AuthID keeps working\nRevoked Auth Tokens keeps working\n3. Autorize dropbox\n6. Revoke token through the following ([Website](https://duplicati-oauth-handler.appspot.com/revoke))\n7. Perform a new backup\n\n- **Actual result**: \nBackup succeded',
      source: 'https://github.com/duplicati/duplicati/issues/4846',
    },
    {
      // tune nm-055
      text: 'Online account login still remembered when account is removed\nAfter selecting to remove an account that was connected in GNOME, reselecting on the same service does not require the user to resupply login information.',
      source: 'https://github.com/pop-os/pop/issues/4',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // The revoked token is not the one that keeps working.
    {
      text: 'I revoked the old token and the new one keeps working for a day, then HubSpot says the refresh token is invalid',
      platform: 'hubspot',
      cause: 'app_access_removed',
    },
    {
      text: 'The Dropbox token still works in the browser, but the backup says the access token has expired',
      platform: 'dropbox',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe("moving software to a platform's new sign-in mechanism, told as a change or a task", () => {
  test.each<NotLoginCase>([
    {
      // tune nj-052
      text: 'Dropbox code needs to be updated to use refresh tokens\nDropbox no longer issues "long-lived tokens", only tokens that last about four hours: https://dropbox.tech/developers/migrating-app-permissions-and-access-tokens#updating-access-token-type  Users must click a link every four hours to re-authorize the app.\n\nTo regain the original user experience (what Dropbox calls "offline access"), the Dropbox code must be updated to use "Refresh tokens" to renew the access token.',
      source: 'https://github.com/remotestorage/remotestorage.js/issues/1267',
    },
    {
      // tune nl-176
      text: 'Update Square to use the new "renew token" API\n\nWe are releasing new OAuth functionality this month where we will be providing OAuth refresh tokens along with our access tokens.\n\nCurrently, developers call our RenewToken endpoint (https://docs.connect.squareup.com/api/oauth#endpoint-oauth-renewtoken) with an existing access token to obtain a new access token.\n\nWe will begin deprecating RenewToken after this release. Instead, developers will call ObtainToken (https://docs.connect.squareup.com/api/oauth#endpoint-oauth-obtaintoken) with the new refresh tokens to replace expired access tokens.',
      source: 'https://github.com/nopSolutions/nopCommerce/issues/3582',
    },
    {
      // tune no-291
      text: 'On the existing Oura extension I did the following:\n- Migrated authentication to Oura OAuth2 (client ID/secret + PKCE) as Personal Access Tokens are now deprecated.\n- Updated API requests to use OAuth2 tokens\n- Refresh tokens automatically when expired\n- Update setup instructions and unauthorized messaging for OAuth2',
      source: 'https://github.com/raycast/extensions/pull/24544',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // A report from someone who moved: the login lapsed after the move.
    {
      text: 'After updating to use the new OAuth connection, the Oura token keeps expiring every day and the sync stops',
      platform: 'oura',
      cause: 'unknown',
    },
    {
      text: 'We migrated the Dropbox backup to short-lived tokens last month; since Monday it fails with expired_access_token',
      platform: 'dropbox',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe("Braintree's documented authentication and authorization exceptions (API keys wrong or not allowed)", () => {
  test.each<NotLoginCase>([
    {
      // tune nl-192
      text: 'Insufficient info in Authorization errors\n\nI was certain that  that the credentials were correct because the call to `customer->find()` worked, but this code throws an Authorization exception, which is exceedingly unhelpful:\n\n```\nBraintree\\Exception\\Authorization {#2363\n  #message: ""\n  #code: 0\n  #file: "vendor/braintree/braintree_php/lib/Braintree/Util.php"\n  #line: 63\n```',
      source: 'https://github.com/braintree/braintree_php/issues/308',
      otherKind: 'permission_missing',
    },
    {
      text: 'Checkout fails in production with Braintree::AuthenticationError right after deploy; it worked on staging',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // Braintree named, and a stored OAuth login revoked: no documented exception decides.
    {
      text: 'The Braintree connection in our ERP stopped syncing: the stored OAuth access token was revoked',
      platform: 'braintree',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

// Batch H's tune negatives (issue 10): the categories below are the largest among its false alarms
// that are not covered above.

describe('a change described as done (changelog lines, pull-request descriptions)', () => {
  test.each<NotLoginCase>([
    // Tune nr-015, ns-037, nq-067, nq-014, ns-013.
    {
      text: 'Added instructions for refreshing expired tokens',
      source: 'https://github.com/AmeriCommerce/rest-api/pull/4',
    },
    {
      text: "Explained sso process for expired tokens better\nCame up for a friend of mine and me. I noticed how it's explained well in the README but not in the help dialog nor direct error return.",
      source: 'https://github.com/C0D3D3V/Moodle-DL/pull/101',
    },
    {
      text: "[MI-3770] Fixed getting improper response in channel when user's account is disconnected\nWhen a user tries to create a meeting after disconnecting their account, they get a meeting link in case they have created a meeting recently.",
      source: 'https://github.com/mattermost/mattermost-plugin-zoom/pull/326',
    },
    {
      text: 'The change fixes the issue where the refresh_token is expired for a user, as a result when a request for refreshing the access_token is made, it fails too with an error "The refresh token provided is expired, revoked, malformed, or invalid". This results in hanging of the web-client. We would want the user to be logged out when this condition is met.',
      source: 'https://github.com/webex/webex-js-sdk/pull/855',
    },
    {
      text: 'OmniAuth: always request reset token\nFixes a few edge cases around Google Classroom rostering, where a user could log in via a different environment (or switch OAuth providers) and have a stale refresh token even after re-authorizing.',
      source: 'https://github.com/code-dot-org/code-dot-org/pull/16546',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // People whose login lapsed start with the same verbs, about what they did.
    {
      text: 'Fixed it by reconnecting, but the HubSpot refresh token expired again this morning and the sync stopped.',
      platform: 'hubspot',
      cause: 'unknown',
    },
    {
      text: 'Added the Google account again and the Sheets export still fails: invalid_grant: Token has been expired or revoked.',
      platform: 'google',
      cause: 'unknown',
    },
    // What they fixed or changed first, then the lapse that remains.
    {
      text: 'Fixed the schedule, but now the Xero connection says invalid_grant refresh token expired.',
      platform: 'xero',
      cause: 'unknown',
    },
    {
      text: 'Improved nothing: the Google Ads connection still fails with invalid_grant Token has been expired or revoked.',
      platform: 'google',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('what "you" must do once a token expires, told as a rule (guides, developer notes)', () => {
  test.each<NotLoginCase>([
    // Tune nq-120, nr-218.
    {
      text: 'Settings in the data source create a security token required to use the Cisco Webex API. The Verint adapter refreshes this token on startup. If the adapter is not run for over 60 days, and the refresh token expires, you must generate a new one.',
      source:
        'https://wfoonlinelibrary-wfoonlinedev.azurewebsites.net/V15_2/CiscoWebexMeeting/intg_CWM_CXApp_Refresh_Token.htm',
    },
    {
      text: 'Auto-generated upon account authorization. The access token for the application. You can retrieve the access token when setting up the account for the endpoint. The access token is refreshable, in which case you can store an optional refresh token. You must get a new access token if the access token has expired and no refresh token was defined or both the access and the refresh token have expired.',
      source:
        'https://docs-snaplogic.atlassian.net/wiki/spaces/SD/pages/2466218077/Spreadsheet+OAuth2+Account',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // The writer it happened to says "I have to".
    {
      text: 'Our Webex refresh token expired over the weekend and the adapter stopped syncing; I have to generate a new one every 60 days.',
      platform: 'webex',
      cause: 'token_max_lifetime',
    },
    {
      text: 'The Zoom refresh token expired again. When that happens I have to get a new one by hand, what can we do?',
      platform: 'zoom',
      cause: 'unknown',
    },
    // ... or "you" in a complaint, with no condition before it: not a rule told to the reader.
    {
      text: "The Pinterest token expired again, you have to generate a new one every month and it's annoying. Now the sync fails with 401.",
      platform: 'pinterest',
      cause: 'token_max_lifetime',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('an announced change of how a platform signs in, before it happens', () => {
  test.each<NotLoginCase>([
    // Tune nq-105, ns-216, ns-217.
    {
      text: 'GoToWebinar is changing their authentication protocol used for API access. Their legacy protocol, OAuth v1.0, will no longer be used after January 31, 2019, and all services accessing GoToWebinar (Marketo) will be required to use the new authentication protocol, OAuth v2.0.\n\nMarketo has already updated our system to utilize the new OAuth v2.0 authentication protocol for new login authentication. All newly initiated service authentications between Marketo and GoToWebinar will use OAuth v2.0. However, all existing GoToWebinar services currently logged in and in use now must be reauthenticated manually.',
      source:
        'https://nation.marketo.com/docs/DOC-6739-gotowebinar-authentication-change-take-action-before-1312019',
    },
    {
      text: 'Xero uses a variety of methods to retrieve transaction data from Banks, one of those methods is going to be updated from 17 August 2021 and will require you to re-authenticate the connection between your bank and Xero.\n\nThis will only take 2 minutes, and will ensure that Xero continues to receive transaction data after the update on 17 August 2021.',
      source:
        'https://www.linkadvisors.com.au/blog/xero/update-required-for-some-xero-bank-feeds-2-minute-fix',
    },
    {
      text: 'Xero: 90-Day Re-consent Process Now Live\n\nThe 90-day re-consent process for bank feeds is finally live on Xero so rather than having to go into your online banking and re-authenticate every 90 days, all you need to do now is re-confirm consent within Xero itself ...',
      source: 'https://blog.siliconbullet.com/AMP/xero-90-day-re-consent-process-now-live',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // The change told after it broke a connection.
    {
      text: 'GoToWebinar changed their authentication on January 31, 2019 and since then our Marketo connection fails with invalid_grant.',
      platform: 'marketo',
      cause: 'unknown',
    },
    {
      text: 'Since Xero updated the bank feeds on 17 August 2021 our connection keeps expiring and has to be re-authenticated every week.',
      platform: 'xero',
      cause: 'token_max_lifetime',
    },
  ])('still a login error: $text', expectLoginError);
});

describe("an LLM provider's API key typed in wrong", () => {
  test.each<NotLoginCase>([
    // Tune np-039 (np-034 and np-038 are the same message).
    {
      text: "this is the error Error code: 401 - {'error': {'message': 'Incorrect API key provided: OPENAI_A**_KEY. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}\n\nI have tested the key it works",
      source: 'https://github.com/fatma010/langchain_pandasai_streamlit/issues/6',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      text: "Error code: 401 - {'error': {'message': 'Your authentication token has expired. Please try signing in again.', 'code': 'token_expired'}}",
      cause: 'unknown',
    },
    {
      text: 'OpenAI connector in Make: the OAuth token has expired and the scenario stopped, it asks me to reconnect every day',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('a first setup that never worked', () => {
  test.each<NotLoginCase>([
    // Tune nm-120, nl-167, nt-206, ns-050 (and nl-149).
    {
      text: "[Bug]: Oura Ring integration – OAuth setup fails with 401 Unauthorized\nI’m unable to complete the setup of the Oura Ring integration in Home Assistant.\n\nThe Oura login and authorisation process completes successfully. However, when Oura redirects back to Home Assistant, the setup fails and the Home Assistant interface briefly displays a blank/brown screen.\n\nHome Assistant log\n\nError resolving OAuth token: 401, message='Unauthorized', url='https://moi.ouraring.com/oauth/v2/ext/oauth-token'",
      source: 'https://github.com/louispires/Oura-Home-Assistant-Integration/issues/75',
      otherKind: 'invalid_request',
    },
    {
      text: "Error when attempting to setup ecommerce integrations\n\n### Response Data\n```\n{\n\t\"exception\": \"pyactiveresource.connection.UnauthorizedAccess: Response(code=401, body=\\\"b'{\\\"errors\\\":\\\"[API] Invalid API key or access token (unrecognized login or wrong password)\\\"}'\\\", headers={'Date': 'Thu, 22 Feb 2024 03:06:19 GMT', 'Content-Type': 'application/json; charset=utf-8', 'Transfer-Encoding': 'chunked', 'Connection': 'close', 'X-Sorting-Hat-PodId': '314', 'X-Sorting-Hat-ShopId': '85586247995', 'referrer-policy': 'origin-when-cross-origin', 'x-frame-options': 'DENY', 'x-shopid': '85586247995', 'x-shardid': '314', 'www-authenticate': 'Basic Realm=\\\"Shopify API Authentication\\\"'\n```",
      source: 'https://github.com/frappe/ecommerce_integrations/issues/304',
      otherKind: 'invalid_request',
    },
    {
      text: 'iCloud Sync is broken (Account Setup: 401 Error)\nI wanted to use DAVdroid (which works fine for other services for me) to sync my iCloud Contacts. But i get a 401: Unauthorized in Account setup. Same settings and login details work with CardDav Sync.',
      source: 'https://github.com/bitfireAT/davdroid/issues/145',
      otherKind: 'invalid_request',
    },
    {
      text: "Token is invalid, even though I just generated it\nHi there, thanks for making this! I followed the instructions for populating the `credentials.yaml` and generating an API token, but I immediately got an `canvasapi.exceptions.InvalidAccessToken: [{'message': 'user authorization required'}]` error and can't proceed...",
      source: 'https://github.com/davekats/canvas-student-data-export/issues/45',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // A setup that worked, then lapsed.
    {
      text: 'Setup worked fine, but after a week the Oura integration fails with 401 Unauthorized: the token has expired.',
      platform: 'oura',
      cause: 'unknown',
    },
    {
      text: 'After the initial installation everything synced for a few days; now Google Drive says invalid_grant: Token has been expired or revoked.',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: 'I just generated a new token yesterday and today HubSpot says the refresh token has expired again.',
      platform: 'hubspot',
      cause: 'unknown',
    },
    {
      text: 'Since our new installation in March everything synced fine; now the HubSpot refresh token has expired.',
      platform: 'hubspot',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe("the connect flow's one-time code refused while it is exchanged, told by what the writer did with it", () => {
  test.each<NotLoginCase>([
    // Tune ns-063, nu-057, nl-130 (and nn-223, nq-007).
    {
      text: 'I get the following error. when trying to post back the code to the API\n\n{"error":"invalid_grant","error_description":"Invalid code"}',
      source: 'https://github.com/meetuparchive/api/issues/60',
      otherKind: 'invalid_request',
    },
    {
      text: 'When connecting to BigQuery through oauth type : User-Based\nKey path contains client id and client secret \ntest connection is working \nBut when we expand connection it is asking for authorization code \nBut when paste the code it error \n400 Bad Request\nPOST https://oauth2.googleapis.com/token\n\n{\n\n  "error" : "invalid_grant",\n\n  "error_description" : "Bad Request"\n\n}',
      source: 'https://github.com/dbeaver/dbeaver/issues/15153',
      otherKind: 'invalid_request',
    },
    {
      text: 'Error when get User tokens: Status Code: 400 invalid_grant\n\nWhen I got url, paste it on browser, login ebay, grand permision, and got return url with code\n\nget the error: Status Code: 400 invalid_grant: the provided authorization grant code is invalid or was issued to another client',
      source: 'https://github.com/davidtsadler/ebay-sdk-php/issues/212',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // Pasting the code again to reconnect after a lapse, and the refresh refused.
    {
      text: 'I pasted the code again to reconnect rclone, but a day later the Google Drive token expired again: invalid_grant',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: 'Unable to receive access token because of an invalid authorization code or refresh token: the Xero refresh token has expired.',
      platform: 'xero',
      cause: 'unknown',
    },
    // A tool's standing hint, printed after any failure, that names an invalid code only as a condition
    // (withings-sync: "If it's regarding an invalid code, try to start the script again"; tune pw15-082).
    {
      text: "withings-sync stopped uploading my weight to Garmin last week, the refresh token seems to have expired. Log:\n2025-06-02 12:00:03,450 - withings - INFO - Refresh Access Token\n2025-06-02 12:00:04,023 - withings - ERROR - Received error code: 401\n2025-06-02 12:00:04,024 - withings - ERROR - If it's regarding an invalid code, try to start the script again to obtain a new link.",
      platform: 'withings',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('no credential sent at all, told in other words', () => {
  test.each<NotLoginCase>([
    // Tune ns-060, nq-085, np-091.
    {
      text: 'Importing from meetup.com ERROR\nERROR: Unable to import: Unknown error: 401 Unauthorized: {"details":"API requests must be key-signed, oauth-signed, or accompanied by a key: https:\\/\\/www.meetup.com\\/meetup_api\\/docs\\/#authentication","code":"not_authorized","problem":"You are not authorized to make that request"}',
      source: 'https://github.com/calagator/calagator.org/issues/27',
      otherKind: 'invalid_request',
    },
    {
      text: 'Today I updated my whole project (including `nexmo/laravel` from 1.x to 2.x) and now the following call results in 401 unauthorized:\n\n```\n return $this->nexmo->account()->getBalance()->getBalance();\n```\n\nI dumped the request and response of the nexmo API and it seems that there is no authorization sent to the `/account/get-balance` endpoint.',
      source: 'https://github.com/Vonage/vonage-php-sdk-core/issues/243',
      otherKind: 'invalid_request',
    },
    {
      text: 'Observed: Browser OAuth completes; CLI prints "Successfully authenticated". On restart, Failed to refresh auth token and Error during discovery: Either provider.prepareTokenRequest() or authorizationCode is required. /mcp list shows "Disconnected (OAuth not authenticated)".\n\nServer-side evidence: the server completes the full flow including the POST /token exchange and returns valid tokens. Immediately after, the CLI\'s MCP request arrives with no Authorization header and is correctly 401\'d.',
      source: 'https://github.com/google-gemini/gemini-cli/issues/27745',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // The token itself refused: a lapse, whatever the request looked like.
    {
      text: 'Our Meetup import fails again: 401 {"error":"invalid_token","error_description":"the access token has expired"}',
      cause: 'unknown',
    },
    {
      text: 'Since last night the Vonage token expired and every call returns 401 Unauthorized; I have to log in again every day.',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('a pull request linked to the issues it closes', () => {
  test.each<NotLoginCase>([
    // Tune nt-255, nm-123.
    {
      text: "- Update script to work with Google's recent authentication changes (Fixes #1 and Fixes #2)\n- Save already-downloaded data if user becomes unauthenticated\n- Let the user know that they may have become unauthenticated when downloads start failing",
      source: 'https://github.com/Stadly/TimelineExtractor/pull/3',
    },
    {
      text: 'refresh tokens\nRefreshes auth token if expired upon attempt to use the service.\n\nRelated issues: #47 and #48',
      source: 'https://github.com/jeremyephron/simplegmail/pull/50',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    // Pointing at an earlier report is what people whose login lapsed do.
    {
      text: 'Same problem as #123: since Monday the Google Drive token expired and rclone says invalid_grant',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: 'Still not fixed in 2.3, see #47: Dropbox asks me to re-authorize every day',
      platform: 'dropbox',
      cause: 'unknown',
    },
    // ... or at a change that was meant to fix it and did not.
    {
      text: "Fixes #88 from last month didn't help, the Salesforce refresh token is still expired: invalid_grant expired access/refresh token",
      platform: 'salesforce',
      cause: 'unknown',
    },
    {
      text: 'Closes #12 did not fix it: our Google Ads token expired again with invalid_grant.',
      platform: 'google',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('a change told in the third person or under a pull request template heading (issue 10, batch K)', () => {
  test.each<NotLoginCase>([
    {
      // tune nz9-008
      text: "When _update_access_token() fails because the refresh token is expired or invalid, the current code logs an error and stops — leaving the user with no working tokens and no way to recover without manual intervention.\n\nThis change adds a fallback: if the access token refresh request fails (HTTP error from Schwab's OAuth endpoint), the code automatically triggers _update_refresh_token() to start the full re-authorization flow, allowing the user to re-authenticate and obtain fresh tokens.",
      source: 'https://github.com/tylerebowers/Schwabdev/pull/95',
    },
    {
      // tune np-007
      text: 'When OAuth refresh tokens expire (invalid_grant), the client now clears stored credentials and triggers a new authorization flow instead of failing silently. Session 404 errors are handled with automatic reconnection. These occur when an MCP server restarts and loses track of the session ID.',
      source: 'https://github.com/keinsaasforever/better-chatbot/pull/364',
    },
    {
      // tune nz8-023
      text: '## Changes\nAdd an `INVALID_REFRESH_TOKEN` error code when `databricks auth token --output json` cannot refresh a cached U2M token. The existing text error and reauthentication guidance remain unchanged.\n\n## Why\nClients need a machine-readable way to distinguish an invalid or expired refresh token and trigger a new `auth login` flow.',
      source: 'https://github.com/databricks/cli/pull/6684',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // A fix that failed, told by someone whose login still lapses.
      text: "The fix didn't help: the HubSpot refresh token expired again this morning and the sync stopped.",
      platform: 'hubspot',
      cause: 'unknown',
    },
    {
      // "we now use" about a setup, then the lapse.
      text: 'We now use the new Zoho connector and since Monday it fails with invalid_grant: refresh token expired.',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('a change told by the form of a pull request, commit or release page (issue 10, the batch M session; tune items)', () => {
  test.each<NotLoginCase>([
    {
      // tune nz17-048
      text: 'v1.3.4\n\n20 Mar 10:49\n2d1eb91\nCompare\nChoose a tag to compare\n\nEntities will appear unavailable if token is expired and refresh fails.\n\nv1.3.2\n\n19 Mar 10:55\n9be452e\nCompare\nChoose a tag to compare\n\nThis release should help with token expiration.\n\n  • We will obtain a new access_token using the initially supplied refresh_token if request was reported to be expired (special marker 44) and then re-try data update.\n  • We will get a new access_token on integration startup as well.',
      source: 'https://github.com/iprak/sensi/releases?page=2',
    },
    // Made-up: a commit's trailer.
    {
      text: 'Refresh the Google token before it expires\n\nThe stored refresh token was revoked after 7 days.\n\nSigned-off-by: Jane Doe <jane@example.com>',
    },
    {
      // A pull request's page copied with its header, and a release page's changelog link.
      text: 'octocat wants to merge 2 commits into main from retry-expired\n\nRetry once when the Google Drive access token has expired (401 Invalid Credentials).',
    },
    {
      text: 'Reconnect button shown when the Zoom refresh token is expired or revoked.\n\n**Full Changelog**: https://github.com/example/app/compare/v1.2.0...v1.3.0',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // tune pw2-050: a title in the imperative ("Fix …") over the pasted error
      text: 'Fix the workflow with expired Google Drive token. Which currently is this.\n```\n✗ rclone lsd gdrive:\n2019/03/24 13:19:10 ERROR : : error listing: couldn\'t list directory: Get https://www.googleapis.com/drive/v3/files?alt=json&fields=files%28id%2Cname%2Csize%2Cmd5Checksum%2Ctrashed%2CmodifiedTime%2CcreatedTime%2CmimeType%2Cparents%2CwebViewLink%29%2CnextPageToken&pageSize=1000&prettyPrint=false&q=trashed%3Dfalse+and+%28%27root%27+in+parents%29: oauth2: cannot fetch token: 400 Bad Request\nResponse: {\n  "error": "invalid_grant",\n  "error_description": "Bad Request"\n}',
      source: 'https://github.com/rclone/rclone/issues/3073',
      platform: 'google',
      cause: 'unknown',
    },
    {
      // tune pw19-019: a pull request by someone whose integration is failing
      text: 'This integration is currently failing for me due to an invalid grant. Handle this in `async_setup_entry` so that reauth is triggered.\n\n```\nDEBUG (MainThread) [homeassistant.helpers.config_entry_oauth2_flow] Token request failed with status=400, body={"reason":"Invalid Token!","error":"invalid_grant"}\n```',
      source: 'https://github.com/raman325/ha-zoom-automation/pull/53',
      platform: 'zoom',
      cause: 'unknown',
    },
    {
      // tune pc-049: a pull request telling what the owner saw
      text: 'Owner-reported: the Refresh button errored on every click. Log showed Zoom returning 400 invalid_grant ("Invalid Token!") — the stored refresh token had been revoked (rotated out by newer sign-ins from the portable test rigs).',
      source: 'https://github.com/iamfatness/CoreVideo/pull/196',
      platform: 'zoom',
      cause: 'unknown',
    },
    {
      // Pointing at an earlier report in the words of a discussion.
      text: 'The previous error was `The access token expired` for the Spotify playlist, as discussed in #546: invalid_grant, Refresh token revoked.',
      cause: 'unknown',
    },
    {
      // A release that was meant to fix it and did not.
      text: 'This release fixes the Xero sync, but my Xero refresh token still expires every morning: invalid_grant.',
      platform: 'xero',
      cause: 'unknown',
    },
    {
      // An issue form: the version is an answer, not a changelog heading.
      text: '### Version\n\n2.3.1\n\n### What happened?\n\nSince Monday Google Drive says invalid_grant: Token has been expired or revoked.',
      platform: 'google',
      cause: 'unknown',
    },
    {
      // "Added …" about the account, not a feature: a user who tried again.
      text: 'Added the Google Ads account again, but the refresh token expired the next day: invalid_grant.',
      platform: 'google',
      cause: 'unknown',
    },
    {
      // "it will now …": what the broken connection does since.
      text: 'After the update it will now show "Token expired" for the HubSpot connection every morning and I have to reconnect.',
      platform: 'hubspot',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
  // A stranger's review of the session's first, wider version of these patterns: lapse reports that a
  // ticket key, a one-word heading, a line starting "Replaces"/"Fixes", "delete token.json", "closed issue
  // #123" or "now returns a proper 401" had silenced. Made-up, each near a real way of writing.
  test.each<LoginCase>([
    {
      text: 'SUP-1234: acme: Facebook Ads connection broken, Error validating access token: The session has been invalidated because the user changed their password.',
      platform: 'meta',
      cause: 'password_changed',
    },
    {
      text: 'OPS-42 gads: invalid_grant when refreshing the Google Ads token since this morning',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: 'Delete token.json and rerun, you get invalid_grant: Token has been expired or revoked. again the next week',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: 'Update config.json with the new token and it still says 401 Unauthorized from HubSpot',
      platform: 'hubspot',
      cause: 'unknown',
    },
    {
      text: 'Added a new field to the Zap and now HubSpot says the refresh token is invalid',
      platform: 'hubspot',
      cause: 'unknown',
    },
    {
      text: 'Added the Facebook Lead Ads option to our form, and got Error validating access token: The user has not authorized application 1234',
      platform: 'meta',
      cause: 'app_access_removed',
    },
    {
      text: 'Same problem as closed issue #123 — Google Ads keeps giving invalid_grant every 7 days',
      platform: 'google',
      cause: 'token_max_lifetime',
    },
    {
      text: 'Every time I reconnect, this removes the page from the list and then Facebook says Error validating access token',
      platform: 'meta',
      cause: 'unknown',
    },
    {
      text: 'this removes my Shopify connection every night and I get 401 Unauthorized in the morning',
      platform: 'shopify',
      cause: 'unknown',
    },
    {
      text: 'This version introduces a bug: our QuickBooks refresh token is invalid after one day',
      platform: 'quickbooks',
      cause: 'unknown',
    },
    {
      text: 'The API now returns a proper 401 Unauthorized for every call since yesterday, our Xero token must have lapsed',
      platform: 'xero',
      cause: 'unknown',
    },
    {
      text: 'Since upgrading, the plugin now throws a clear error: Your Mailchimp API key has been disabled',
      platform: 'mailchimp',
      cause: 'unknown',
    },
    {
      text: 'Fixes are welcome :pray: our Google Ads connector says invalid_grant since Friday',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: 'Hi all\nReplaces the token fine, then an hour later Xero says invalid_grant again',
      platform: 'xero',
      cause: 'unknown',
    },
    {
      text: '## What\nOur Facebook Ads connection stopped syncing this morning: Error validating access token: The session has been invalidated because the user changed their password.',
      platform: 'meta',
      cause: 'password_changed',
    },
    {
      text: '## How\nIt works for a few days then stops. Token has been expired or revoked.',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: '## Motivation\nI need the HubSpot sync to work but it says the refresh token is invalid since Monday',
      platform: 'hubspot',
      cause: 'unknown',
    },
    {
      text: '## Test plan\nReconnect Facebook, get Error validating access token: The user has not authorized application 123',
      platform: 'meta',
      cause: 'app_access_removed',
    },
    {
      text: '### Related issues\nSame as #12. Google Ads: invalid_grant every morning.',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: '### Added\nwe reconnected, LinkedIn still says the token has expired',
      platform: 'linkedin',
      cause: 'unknown',
    },
  ])('not design talk: $text', expectLoginError);
});

describe('a change or feature tagged in its title or named by its branch (issue 10, batch K)', () => {
  test.each<NotLoginCase>([
    {
      // tune nw-259
      text: '[FEATURE] OAuth Access Token and Refresh Token handling\n\n- Authorization is done by Access Token and the Business Unit only, the Access Token from Salesforce does expire but does not provide when. \n- When the Access Token is expired we could refresh the Access Token with the Refresh Token',
      source: 'https://github.com/Cyber-Duck/Pardot-API/pull/9',
    },
    {
      // tune nw-070
      text: '[BUGFIX] Make it possible to regenerate token in the BE module if the current token is expired',
      source: 'https://github.com/pixelant/pxa_social_feed/pull/43',
    },
    {
      // tune nr-252
      text: 'Feature/handle expired refresh token',
      source: 'https://github.com/nikkow/node-red-contrib-tahoma/pull/18',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // Bug reports are tagged too.
      text: '[Bug] Google Drive sync stops: invalid_grant Token has been expired or revoked.',
      platform: 'google',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('a feature request, or what the developers wish or plan the software would do (issue 10, batch K)', () => {
  test.each<NotLoginCase>([
    {
      // tune nz8-016
      text: "**Is your feature request related to a problem? Please describe.**\nIf I haven't been active for a while the connection to snowflake is lost and needs to be invalidated/reconnected\n\n**Describe the solution you'd like**\nDBeaver to detect and automatically re-connect ...or.... at least have a button on the dialog box that says reconnect",
      source: 'https://github.com/dbeaver/dbeaver/issues/16617',
    },
    {
      // tune nm-070
      text: 'Streamline renewal of gh auth token\nIt would be great if there was a way to streamline the renewal of an expired github authentication token.\n\nCurrently:\n\n```\n$ gh auth status\ngithub.com\n  X Failed to log in to github.com account jonathan-enf (/home/jonathan/.config/gh/hosts.yml)\n  - Active account: true\n  - The token in /home/jonathan/.config/gh/hosts.yml is invalid.\n  - To re-authenticate, run: gh auth login -h github.com\n  - To forget about this account, run: gh auth logout -h github.com -u jonathan-enf\n```\n\nThe problem here is that the message reads `To re-authenticate, run: gh auth login -h github.com` makes the user go through the whole token creation process a second time, including specifying scopes (which the user can get wrong).  It would be better if the re-authentication instruction provided a shortcut to creating a new token with the same scopes as the expired token.',
      source: 'https://github.com/cli/cli/issues/8846',
    },
    {
      // tune nq-118
      text: 'API to retrieve a new access token if expired when doing the request\nIf API response status code is 401 (access token expired), it would be useful for the API to request a new access token based on the refresh_token, and run the request again with the new token.',
      source: 'https://github.com/prschmid/zoomus/issues/259',
    },
    {
      // tune nv-089
      text: "When the user's auth expires refresh it\nWhen the API starts returning a 401 we should refresh the user's auth token.",
      source: 'https://github.com/Keboo/SimplyBudget/issues/198',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // Someone whose login lapsed wishes for things too, but not for what the software does.
      text: 'It would be nice to have a note about expiry: our Google Ads token expired again with invalid_grant Token has been expired or revoked.',
      platform: 'google',
      cause: 'unknown',
    },
    {
      text: 'We should do better than this: the HubSpot refresh token expired again this morning and the sync stopped.',
      platform: 'hubspot',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('an announced change told by its date or by the vendor (issue 10, batch K)', () => {
  test.each<NotLoginCase>([
    {
      // tune nz7-004
      text: "Starting 30th September 2022, Calendly will discontinue the support for V1 API and webhooks the system was using. Calendly recommended moving from API V1 to API V2 using Personal Token Access.\nThis document is for the users to help them integrate Calendly into their FranConnect system. Few quick links for reference:\nExisting users' Integration\nOnce the system is updated to Calendly API V2, the user with existing Calendly integration will be FORCED DISABLED i.e., the initial setup will stop working, and the user would have to re-authenticate Calendly configuration again.",
      source:
        'https://help.franconnect.com/hc/en-us/articles/23738496730523-How-to-Integrate-Calendly-into-Your-FranConnect-Environment',
    },
    {
      // tune nz3-905
      text: 'As of 2024-05-14 a change has been implemented to enforce access token expiry. If you see higher numbers of HTTP 401 responses, please check tokens that may have expired. For more details, including how to mitigate disruption, please check our docs guide on Expired Access Tokens. If you have a support contract, you may open a support ticket for additional assistance.',
      source: 'https://gitlab.com/hifis/hifis-workshops/using-containers-in-science/-/merge_requests/19',
    },
    {
      // tune ny-273
      text: 'In 2024, UPS updated its APIs security protocol to OAuth 2.0. If you see a “Reauthentication required - Update now” message next to UPS under your Carriers in ShipperHQ, it’s time to complete the update.\nWhy this matters: UPS is shutting down its old authentication service on December 31st, 2025.',
      source: 'https://docs.shipperhq.com/reauthenticating-your-ups-account-in-shipperhq',
    },
    {
      // tune nk-015
      text: "Over the last few months we've received great feedback from our developer community in regards to our platform updates in August. As part of these updates, we've standardized the lifespan of our access tokens to 60 days. Many developers have asked how they can seamlessly extend the life of the access token without needing the user to authenticate again. As long as the user is logged into LinkedIn and their current access token hasn't expired, you can fetch an access token with a 60 day lifespan the next time the user comes to your application.",
      source: 'http://developer.linkedin.com/blog/tips-and-tricks-refreshing-access-token',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // A date and then what happened since: a report.
      text: 'Starting January 5, 2025 it has failed every morning: the Xero connection says invalid_grant refresh token expired.',
      platform: 'xero',
      cause: 'unknown',
    },
    {
      // "is deprecating" explains real lapses.
      text: 'Dropbox is deprecating long-lived tokens, so now my token expires after 4 hours and the backup fails with expired_access_token.',
      platform: 'dropbox',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('the same token shown to work elsewhere (curl, Postman, another client)', () => {
  test.each<NotLoginCase>([
    {
      // tune np-027
      text: 'Even though I am using the correct JIRA_API_TOKEN, the tool returns an authentication failure (403).\nI confirmed that the same token works correctly with curl requests, so the token itself is valid.\n\n```shell\nThe request fails with a 403 error and raises MCPAtlassianAuthenticationError.\n```',
      source: 'https://github.com/sooperset/mcp-atlassian/issues/687',
      otherKind: 'invalid_request',
    },
    {
      // tune ny-048
      text: "Get 401 error when using personal access token\n\nI can use my token on postman and get a 200, but I get a 401 when I use this package. I followed the same style as the events example so I'm not sure why this is happening.",
      source: 'https://github.com/Asana/node-asana/issues/166',
      otherKind: 'invalid_request',
    },
    {
      // tune np-098
      text: 'Not able to work with `Github` MCP sever . Tool calls fail with `401 Bad credentials`\n\n**Note** - `Github Remote` MCP server works as expected with the same PAT .',
      source: 'https://github.com/obot-platform/obot/issues/3762',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // In the past: it worked, then lapsed.
      text: 'It worked with curl last week, but now the Salesforce call fails: INVALID_SESSION_ID Session expired or invalid',
      platform: 'salesforce',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('a key made moments ago: a first setup (issue 10, batch K)', () => {
  test.each<NotLoginCase>([
    {
      // tune nc-007
      text: 'Hubspot is migrating to use of Personal Access Keys for API access. Current integration may use legacy developer API keys?\n\nUsing Personal Access Key I get error with a brand new key\n\n```\nFailed to fetch contacts: HubSpot API error: 401\n\n{\\"status\\":\\"error\\",\\"message\\":\\"The OAuth token used to make this call expired 20354 day(s) ago.\\",\\"correlationId\\":\\"624dfe75-00a9-4e7a-b7dc-233ee177cf60\\",\\"category\\":\\"EXPIRED_AUTHENTICATION\\",\\"context\\":{\\"expire time\\":[\\"1970-01-01T00:00:00Z\\"]}\n```',
      source: 'https://github.com/StackOneHQ/mcp-connectors/issues/153',
      otherKind: 'invalid_request',
    },
    {
      // tune nz9-037
      text: 'After creating a fresh API key with ALL possible scopes, I get `Error: Authentication failed: EAPI:Invalid key` when trying to run `kraken balance`.\n\nThe key is otherwise configured correctly - e.g. `kraken trades XBTUSD` shows the trades as expected.\n\nThis is on a business account - do they work differently than personal ones?',
      source: 'https://github.com/krakenfx/kraken-cli/issues/33',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // A fresh token copied in after a lapse: someone reconnecting.
      text: 'Got the expired token error from Google Drive, so I copied a fresh token over from my laptop, and rclone still says invalid_grant.',
      platform: 'google',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('asking how long a token lives, before it has lapsed (issue 10, batch K)', () => {
  test.each<NotLoginCase>([
    {
      // tune nm-069
      text: 'Refresh Token Info\nWill the refresh token expire? If so, do we know what its lifespan is? Do we have to do anything after the initial setup to keep it working indefinitely?',
      source: 'https://github.com/lavalink-devs/youtube-source/issues/71',
    },
    {
      // tune nk-067
      text: 'For how long are AAD-issued tokens valid? I have mentioned this in scattered posts, but this AM Danny reminded me of how frequent this Q really is – and as such, it deserves its own entry.\nAs of today, the rules are pretty simple:\n- Access tokens last 1 hour\n- Refresh tokens last for 14 days, but\n- If you use a refresh token within those 14 days, you will receive a new one with a new validity window shifted forward of another 14 days. You can repeat this trick for up to 90 days of total validity, then you’ll have to reauthenticate',
      source: 'https://cloudidentity.com/blog/2015/03/20/azure-ad-token-lifetime',
    },
    {
      // tune ny-203
      text: '1. User has authorised from HMRC got the access token and user used the application for more than 4 hours, will the accesstoken get expired?\n\n2. User has authorised from HMRC got the access token and user used the application for 2 hours and closed the application and logged in back after 3-4 hrs (previously logged in duration is 2 hrs only), will the access token received earlier will be working fine for the second time logged in (or) the user need to get a new accesstoken by refreshtoken interacting with HMRC?',
      source: 'https://github.com/hmrc/vat-api/issues/284',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // The lapse told first, then the question.
      text: 'The Spotify token expired after one hour. Will it expire again tomorrow?',
      platform: 'spotify',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('the opposite bug told the other way round: still answering after a revoke or a password change (issue 10, batch K)', () => {
  test.each<NotLoginCase>([
    {
      // tune nt-295
      text: 'Hi, I put my KeePass database to gdrive. \n\nAfter changing my google password I need not update it in KeePass. Is this normal or did I set up something wrong?',
      source: 'https://github.com/Kyrodan/KeeAnywhere/issues/373',
    },
    {
      // tune nt-292
      text: 'I just logged into Google account management and changed my Google password. I expected to have to go to EMClient and input the new Google password but there is no place I can see to do that. Even stranger EMClient appears to still be sending/receiving emails to the Gmail account - even though I never was prompted for or manually entered the new password. What is going on?',
      source: 'https://forum.emclient.com/t/how-do-i-change-the-gmail-password-in-emclient/55516',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // Still failing after the change: the lapse.
      text: 'After changing my Google password the Gmail sync still fails with invalid_grant: Token has been expired or revoked.',
      platform: 'google',
      cause: 'password_changed',
    },
  ])('still a login error: $text', expectLoginError);
});

describe("more verbs of a change's imperative title (issue 10, batch K)", () => {
  test.each<NotLoginCase>([
    {
      // tune ny-050
      text: 'Detect when OAuth tokens are revoked or expired beyond recovery.\n\n- Detect 401/403 responses indicating revoked tokens\n- Mark token as `revoked` in DB\n- Send email: "Your GitHub connection needs reconnecting"\n- Include direct re-auth link in email',
      source: 'https://github.com/autojrnl/tasks/issues/37',
    },
    {
      // tune nx-467
      text: 'Capture the refresh_token from the token exchange, store it (with the\nissuing provider) alongside the access token, and renew an expired\naccess token transparently via the RFC 6749 refresh-token grant on\nthe next request that needs it.',
      source: 'https://github.com/Mic92/nixbot/pull/84',
    },
    {
      // tune ns-040
      text: 'Better handle `invalid_grant` errors\nIt seems like many students are still getting `invalid_grant` errors, which are caused when they have expired local tokens.  I thought I handled this in the latest ok_client update, but I guess not.  Would be good to handle on the ok-client side, by force reauthenticating.',
      source: 'https://github.com/okpy/ok-client/issues/326',
    },
    {
      // tune ns-002
      text: 'Don\'t show error dialogs when refresh tokens expire\nWhen a Canvas API refresh token expires (or the access token gets deleted from Canvas) Canvas sends us a "refresh_token not found" error response. When this happens just ask the user to re-authorize, don\'t show them an error dialog that makes it look like something went wrong.',
      source: 'https://github.com/hypothesis/lms/pull/2046',
    },
    {
      // tune nm-084
      text: "Do not remove spotify access token on invalid_grant error\nWe used to remove spotify access tokens from our database whenever we detected token revocation at one point. But one day spotify had a downtime while resulted in false revocation errors, and we ended up deleting most of our users' spotify access tokens. Now we don't remove the token from database, this is more resilient and without downsides. If a user actually revoked their token, then its useless anyway so doesn't matter if we remove it. And if it is a false revocation error, we are saved! :) In any case, we do set an error message for the user in the database so that we can skip in future runs and notify them to reconnect if they want.",
      source: 'https://github.com/metabrainz/listenbrainz-server/pull/1921',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // "Don't know": someone it happened to.
      text: "Don't know why, but the Spotify token expired again and playback stops with invalid_grant.",
      platform: 'spotify',
      cause: 'unknown',
    },
    {
      // Make is a platform, not a verb of a title.
      text: 'Make.com connection to Google Sheets expired: invalid_grant Token has been expired or revoked.',
      platform: 'google',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('the developer\'s own change: "this introduces / makes sure / accounts for", their pull request named (issue 10, batch K)', () => {
  test.each<NotLoginCase>([
    {
      // tune nx-459
      text: "This introduces special case handling of a particular set of access denied errors related to SAML and SSO. When a user is signed in but their token hasn't yet been authorized for a particular SAML organization fetches, pushes, and pulls will fail with a specific error message from the server informing the user that they need to re-authorize (sign out and back in again).",
      source: 'https://github.com/desktop/desktop/pull/8910',
    },
    {
      // tune nx-225
      text: "Update user token accordingly\n@orcasgit/orcas-developers Please review. Once a token expired, it can't be used anymore. This makes sure we always have a valid `access_token` and `refresh_token` next time we request Fitbit data. Thanks for the idea @brad",
      source: 'https://github.com/orcasgit/django-fitbit/pull/31',
    },
    {
      // tune nw-067
      text: "Emporix plugin access token expired after 4 hours and it wasn't refreshed\nIn the initial version of the plugin there was no code responsible for checking if a cached token expired or not. In the pull request I've added a logic that stores information how long the token is valid and in case when the cached token expired then a new token is generated.",
      source: 'https://github.com/BuilderIO/builder/pull/2908',
    },
    {
      // tune nv-149
      text: "I'll create a pull request for this this weekend, but lets discuss the specs,\nBasically when a token expired 2 things should happen.\n\n    1. The Token internally refresh and replays the last request.\n    2. We need a call back or an external event so the user can update their user information appropriately.",
      source: 'https://github.com/bchavez/Coinbase/issues/40',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // "This fixes it": a workaround that did not last.
      text: 'This fixes it for a day, then the Xero refresh token expires again: invalid_grant.',
      platform: 'xero',
      cause: 'unknown',
    },
    {
      // A checked list is what the writer tried (and issue templates tick boxes): only an unchecked one is a plan.
      text: '- [x] reconnected the HubSpot account\n- [x] restarted the sync\nStill 401 EXPIRED_AUTHENTICATION: the OAuth token has expired.',
      platform: 'hubspot',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('a developer still writing a client, a demo or learning a library: a first setup (issue 10, batch K)', () => {
  test.each<NotLoginCase>([
    {
      // tune nz3-013
      text: 'I\'m currently trying to write a mastodon bot ([source code is available here](https://gitlab.com/pencorde/yearprogressbot/)), but unfortunately I get a "invalid_grant" error. The exact error message is:\n\n```bad authorization: 401 Unauthorized: invalid_grant```',
      source: 'https://github.com/mattn/go-mastodon/issues/106',
      otherKind: 'invalid_request',
    },
    {
      // tune nw-209
      text: '{"error":"invalid_grant","error_description":"Invalid refresh token"}\nHello, I\'m testing infusionsoft sdk on xampp(still trying to learn how to use it).',
      source: 'https://github.com/infusionsoft/infusionsoft-php/issues/228',
      otherKind: 'invalid_request',
    },
    {
      // tune nz8-009
      text: "I'm preparing a demo for one of my customer to integrate AML with Databricks. I get this error:\nError 403 Invalid access token\nAnd I setup an access token in ADB that I use in th enotebook:",
      source: 'https://github.com/Azure/MachineLearningNotebooks/issues/1686',
      otherKind: 'invalid_request',
    },
    {
      // tune nr-040
      text: 'I am trying to make an implementation with this with most of the code based around the sample code. However whenever I try to get an access token I keep getting `{"error":"invalid_grant"}`. I decided to revert back to the PHP sample code since I thought I must be doing something wrong however I\'m getting the same issue over and over again.  I have even tried waiting 15 minutes to a whole day in case it was some kind of timeout.',
      source: 'https://github.com/Sage/sageone_api_php_sample/issues/23',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // A developer's app that worked and lapsed.
      text: 'We are building an integration with HubSpot; after 30 minutes the token stops working and we get 401 EXPIRED_AUTHENTICATION.',
      platform: 'hubspot',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('someone who followed the setup steps and got an error at the end: a first setup (issue 10)', () => {
  test.each<NotLoginCase>([
    {
      // tune pw27-015
      text: '401 Unauthorized\n\ni have followed the steps, tried resetting token many times. Is there any way to fix this error? Thanks',
      source: 'https://github.com/openai/gpt-discord-bot/issues/40',
      otherKind: 'invalid_request',
    },
    {
      // tune no-043
      text: "HTTP Error 401: Unauthorized - SMTP - Outlook\n\n**Hello, I'm trying to configure Xoauth on my Linux server, I followed the readme as informed, after running the command below and returning the URL presented to the server, I get the 401 error described below**",
      source: 'https://github.com/tarickb/sasl-xoauth2/issues/61',
      otherKind: 'invalid_request',
    },
    {
      // tune nv-088
      text: 'I have generated the Access Token by following the steps https://api.up.com.au/getting_started here.\n\nGetting HTTP 401 with Response\n\n```json{\n    "errors": [\n        {\n            "status": "401",\n            "title": "Not Authorized",\n            "detail": "The request was not authenticated because no valid credential was found in the Authorization header, or the Authorization header was not present."\n        }\n    ]\n}\n```\n\nI am not sure if the token is incorrect or invalid or something else is wrong.',
      source: 'https://github.com/up-banking/api/issues/1',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // tune pc-114: the steps worked, then the login lapsed
      text: 'I followed the steps of the manual, but after a few hours I have to reconnect in PowerApps, because of the following error:\n\nFailed to refresh access token for service: oauth2. Correlation Id=4bbb4c50-d009-4eb2-b103-2382c06bc9de, UTC TimeStamp=5/15/2018 7:45:24 AM, Error: Missing refresh token. ',
      source: 'https://github.com/ltwlf/Microsoft-Flow-Create-Team-Connector/issues/1',
      cause: 'unknown',
    },
    {
      // advice to reconnect after a lapse, not a setup
      text: 'If your integration health is failing due to expired credentials, you can easily re-authenticate by following these steps to update your access token.',
      cause: 'unknown',
    },
    {
      text: 'I followed the instructions to connect Xero last year and it synced every night; since Monday the refresh token is invalid_grant.',
      platform: 'xero',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('a key refused while it is typed into the settings: a first setup (issue 10)', () => {
  test.each<NotLoginCase>([
    {
      // tune nm-111
      text: 'This is the message I receive when I try to enter my very VALID Mailchimp API Key. I have tried to debug as well. Tried everything, even a new API key via MailChimp. \n\nMessage: "Sorry, that is an invalid MailChimp API key. Please check the error log on the debug options tab for further information."',
      source: 'https://github.com/EvanHerman/yikes-inc-easy-mailchimp-extender/issues/351',
      otherKind: 'invalid_request',
    },
    {
      // tune nw-046
      text: "won't accept API key on wordpress\nThis message comes up\nSorry, that is an invalid MailChimp API key. Please check the error log on the debug options tab for further information.",
      source: 'https://github.com/EvanHerman/yikes-inc-easy-mailchimp-extender/issues/233',
      otherKind: 'invalid_request',
    },
    {
      // tune nw-048
      text: "[SERIOUS ISSUE] invalid MailChimp API key\nWhen I entering my mailchimp api key such as xxxxxxxxxxxxxxxxxxxxxxxxxx-us11 got error log such as\n\n     API call to helper/ping failed: Couldn't resolve host 'us11 .api.mailchimp.com'",
      source: 'https://github.com/EvanHerman/yikes-inc-easy-mailchimp-extender/issues/356',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // The same message with nothing of a setup beside it (tune mailchimp-004): a login error.
      text: '"Sorry, that is an invalid MailChimp API key. Please check the error log on the debug options tab for further information."',
      source: 'https://github.com/EvanHerman/yikes-inc-easy-mailchimp-extender/issues/334',
      platform: 'mailchimp',
      cause: 'unknown',
    },
    {
      text: 'The Mailchimp sync worked for a year; last night it stopped and now I have to re-enter my API key, it says the API key has been revoked.',
      platform: 'mailchimp',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('a first setup told by its moment: a token just made, an integration never finished, a new connector, a clean install (issue 10)', () => {
  test.each<NotLoginCase>([
    {
      // tune pw27-031
      text: 'But when click the Load button to import the database, the message reads "Failed to load pages: API Token is invalid" even though it was just created.  It doesn\'t even permit me to delete the API Token from the field and start over.  So I\'m frozen out.',
      source: 'https://github.com/obsidianmd/obsidian-importer/issues/457',
      otherKind: 'invalid_request',
    },
    {
      // tune nx-013
      text: '403 Error Google Ads authentication\nI cannot integrate Google Ads. I get 403 on the Google oauth screen. \nIt seems like an authentication problem from the application, because if i open https://FQDN/api/adwords in the browser I am logged in i get:\n`No Code Provided By Google. Please Try Again!`\n\nBut if I open the oauth URL in incognito mode I get: \n`{"error":"Not authorized"}`',
      source: 'https://github.com/towfiqi/serpbear/issues/288',
      otherKind: 'invalid_request',
    },
    {
      // tune nm-201
      text: 'Connection failed. Unable to connect my Woocommerce store and install Pixel\nI am using latest WP and WooCommerce version. Trying to connect my store using this plugin but it always says that connection is failed. I am logged into my store and even on facebook.\n\nI tried logging out and logging in to store, as well as facebook. Used different browsers and still unable to finish the integration.',
      source: 'https://github.com/facebook/facebook-for-woocommerce/issues/1154',
      otherKind: 'invalid_request',
    },
    {
      // tune nx-024
      text: 'YouTube Analytics Source refresh_token error\n### Connector Name\n\nsource-YouTube Analytics\n\n### Connector Version\n\n\t0.1.4\n\n### What step the error happened?\n\nConfiguring a new connector\n\n### Revelant information\n\nInternal message: 400 Client Error: Bad Request for url: https://oauth2.googleapis.com/token\nFailure origin: source\nFailure type: system_error',
      source: 'https://github.com/airbytehq/airbyte/issues/27672',
      otherKind: 'invalid_request',
    },
    {
      // tune nw-069
      text: "Clean install token exception breaks administration panel with an infinite redirect loop\nWith a clean install of the plugin there's an exception on every admin route related to the access token.\nThis is causing an infinite loop in the admin login page.\nThe token violates some mandatory constraints, details:- Token signature mismatch- The token is expired",
      source: 'https://github.com/Adyen/adyen-shopware6/issues/539',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      text: 'YouTube Analytics Source refresh_token error\n### What step the error happened?\n\nDuring the sync\n\n### Revelant information\n\ninvalid_grant: Token has been expired or revoked.',
      cause: 'unknown',
    },
    {
      text: 'Same problem after a clean install of the module: the access token is still shown as invalid, it expired after 60 days.',
      cause: 'token_max_lifetime',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('another kind of problem that merely mentions a login: rate limit, server error, a trial that ended (issue 10)', () => {
  test.each<NotLoginCase>([
    {
      // tune nx-449
      text: "On fresh workshop event deployments, ArgoCD fetches the `aws-samples/appmod-blueprints` public repo using unauthenticated GitHub API calls (60 req/hr limit). When multiple events are created simultaneously, the rate limit is hit quickly, causing ArgoCD's root ApplicationSet to fail generating child apps.",
      source: 'https://github.com/aws-samples/appmod-blueprints/issues/765',
      otherKind: 'rate_limited',
    },
    {
      // tune nm-021
      text: "Unable to refresh token (StatusCode: 500, ReasonPhrase: 'Internal Server Error')\nseems like something broke",
      source: 'https://github.com/swiftyspiffy/twitch-token-generator/issues/17',
      otherKind: 'server_error',
    },
    {
      // tune nt-239
      text: "For anyone landing here on the HTTP 503 sign-in failures: the cause is known and fixed.\n\nApple's edge refuses any Grand Slam request whose `X-MMe-Client-Info` names `com.apple.dt.Xcode`, before any credential is examined — it returns a small HTML error page rather than a GSA plist, which reaches clients as HTTP 503 and looks like an Apple outage. Reporting the client as `com.apple.akd`, the daemon that actually makes this call on macOS, is answered normally.",
      source: 'https://github.com/OpenBubbles/openbubbles-app/issues/267',
      otherKind: 'server_error',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // tune pw14-163 (its last lines): the server error carries a lapsed session
      source: 'https://github.com/forcedotcom/dataloader/issues/1641',
      text: 'Capturing the SOAP response shows the server is returning a "HTTP/1.1 500 Internal Server Error" response, with the message: INVALID_SESSION_ID: This session is not valid for use with the API',
      cause: 'unknown',
    },
    {
      // a sudden failure with no outage named: a lapse
      text: 'Suddenly our Soundcloud app gets 401 errors since this morning: the refresh token was revoked and every refresh fails with invalid_grant.',
      cause: 'unknown',
    },
    {
      text: 'We hit the rate limit yesterday; today every call fails with invalid_grant: Token has been expired or revoked.',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('the setup told as it is being done: a first setup (issue 10)', () => {
  test.each<NotLoginCase>([
    {
      // tune np-014
      text: 'When i try to integrate with notion , i get everything as in README. \n\nBut after the Authorization , y come back to https://supermemory.ai**/?error=invalid_grant** and nothing get integrated. ',
      source: 'https://github.com/supermemoryai/supermemory/issues/340',
      otherKind: 'invalid_request',
    },
    {
      // tune nn-272
      text: 'Client error: `POST https://appleid.apple.com/auth/token` resulted in a `400 Bad Request` response: {"error":"invalid_grant"}\nI\'m having an issue with the callback. I have double checked clientID, teamID and accountId.\n\nSomebody else has this problem?',
      source: 'https://github.com/mikebronner/laravel-sign-in-with-apple/issues/24',
      otherKind: 'invalid_request',
    },
    {
      // tune nq-081
      text: 'Getting a 401 error, help with auth\nNoting the resultCode 401, meaning the request is unauthorised. I am setting my credentials with:',
      source: 'https://github.com/Vonage/vonage-dotnet-sdk/issues/109',
      otherKind: 'invalid_request',
    },
    {
      // tune nl-058 (its opening)
      text: "I can't connect to Google Analytics\n\nWhen I configure a database in Google Analytics from the database configuration, I receive an error message\n\n**Logs**\nRequest had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
      source: 'https://github.com/metabase/metabase/issues/14421',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // tune pc10-049: set up, worked, then lapsed
      text: 'I have the problem that I keep getting the error message "Error: invalid_grant" after a while. When I set up the node, everything works fine and my values appear correctly in Google Fit. When I look the next day no more values come in and the node shows "Error: invalid_grant". Then I have to set it up again and it will work again for a while. ',
      source: 'https://github.com/caputomarcos/node-red-contrib-oauth2/issues/26',
      cause: 'unknown',
    },
    {
      text: 'The HubSpot sync worked for months; since yesterday it says the refresh token is invalid. Am I missing something?',
      platform: 'hubspot',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('a credential made in a sandbox, or a sandbox that never worked: a first setup (issue 10)', () => {
  test.each<NotLoginCase>([
    {
      // tune nl-127
      text: 'Invalid access token. Check the value of the Authorization HTTP request heade\n\nHi,\nI have generated User Token from eBay Sandbox and set it to\n`    eBay.setToken(EBAY_TOKEN);\n`\n\nBut getting Invalid access token. Check the value of the Authorization HTTP request header.\nDo  I need to mention anything else',
      source: 'https://github.com/bhushankummar/eBay-node-client/issues/13',
      otherKind: 'invalid_request',
    },
    {
      text: 'I tried the client with my Shopify sandbox but it does not work: 401 Unauthorized, invalid access token.',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // tune pw19-001: a sandbox named beside a lapse
      text: 'Hello, I am using this code to attempt to send an SMS message throug RingCentral Sandbox Server, It is throwing "Refresh Token has expired at patform.login() I am using Python 3.6 64bit and VS2017 on Win8.1 have also tried using 3.7 on same platform. \nThanks for your help',
      source: 'https://github.com/ringcentral/ringcentral-python/issues/24',
      platform: 'ringcentral',
      cause: 'token_max_lifetime',
    },
  ])('still a login error: $text', expectLoginError);
});

describe("following the readme's example, using its sample, connecting one product to another, adding one more account: a first setup (issue 10)", () => {
  test.each<NotLoginCase>([
    {
      // tune nv-205
      text: 'Playing with in in Django shell.\nI am trying to get the whole departments soup and I get a 401:\nI follow your example, then do: depts.get()\nHTTPError: 401 {"message":"Invalid Basic Auth credentials"}\nHow can I get the whole departments list?',
      source: 'https://github.com/alecraso/grnhse-api/issues/2',
      otherKind: 'invalid_request',
    },
    {
      // tune nw-226
      text: '" Error: Zendesk Error (401): Not Authorized"\nWhy did I get this error? I\'ve created the oauth and I\'m using the user-list sample.',
      source: 'https://github.com/blakmatrix/node-zendesk/issues/177',
      otherKind: 'invalid_request',
    },
    {
      // tune nm-164
      text: '"Could not verify API key" message when attempting to connect WPForms to MailChimp\nAfter many attempts to connect WPForms to MailChimp I keep receiving "Could not authenticate with the provider. API auth error: Could not verify API key" error message.',
      source: 'https://github.com/mailchimp/mc-woocommerce/issues/618',
      otherKind: 'invalid_request',
    },
    {
      // tune ny-258
      text: 'Invalid token when adding an other Withings person\nI have 3 persons in my Withings integration and I want to add another one, but I have a `The access token provided is invalid` error in logs',
      source: 'https://github.com/home-assistant/core/issues/103063',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      text: 'Xero disconnected overnight; I tried to connect it again but the refresh token is invalid_grant.',
      platform: 'xero',
      cause: 'unknown',
    },
    {
      text: 'I have followed the instructions and it worked for two weeks, then the token expired and now it keeps asking me to re-authenticate.',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('permissions never granted, told in words beside a 401: permission_missing (issue 10)', () => {
  test.each<NotLoginCase>([
    {
      // tune nw-222
      text: "[Content]: It's unclear what permissions should the private API key have\n`Credentials are invalid: 403 Forbidden` error is produced when activating Klaviyo Action. However, it works well when all write access is given to the key.",
      source: 'https://github.com/segment-boneyard/segment-docs/issues/6622',
      otherKind: 'permission_missing',
    },
    {
      // tune nx-401
      text: 'Type of error:\n> HTTPError(\'401 Client Error: Unauthorized for url: https://api.github.com/orgs/xxx/repos"\n\nSuggestion: The authenticated user does not have access to GitHub repository `{Github repositories}`. Try authenticating with a different user or give the user permission to the included repositories.',
      source: 'https://github.com/airbytehq/airbyte/issues/26625',
      otherKind: 'permission_missing',
    },
    {
      // tune ny-018
      text: 'With some more work, I am now able to send messages, with a couple of caveats. After a few re-authorizations, I started getting the `[not_in_channel]` error message, which indicated that my bot had to be invited to my designated channel. Once I went to my channel in my workspace and did `/invite @myappname`, I was able to successfully send messages.',
      source: 'https://github.com/laravel/slack-notification-channel/issues/92',
      otherKind: 'permission_missing',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      text: 'The GitHub token we use in the action expired last week; now every run fails with 401 Bad credentials.',
      platform: 'github',
      cause: 'unknown',
    },
    {
      text: 'The user no longer has access to the Google Ads account, an admin removed them, and the refresh fails with invalid_grant.',
      cause: 'user_removed_by_admin',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('a key pasted wrong at setup, or a plugin set up on a new machine: a first setup (issue 10)', () => {
  test.each<NotLoginCase>([
    {
      // tune nw-286
      text: '"Invalid API key" or "Unauthorized" error\n\nDouble-check that you copied the full key without any leading/trailing spaces. Some platforms show a truncated preview — make sure to copy the full token. If the key was generated with restricted scopes, verify it includes the permissions listed above.',
      source: 'https://onbelay.ai/help/integrations/activecampaign',
      otherKind: 'invalid_request',
    },
    {
      // tune nz3-034
      text: '**Describe the bug**\nWhen setting up the plugin on a new Obsidian instance for the first time, it fails with a `401 Bad credentials` error. This occurs even when the Personal Access Token (PAT), username, and repository details are all confirmed to be correct. Subsequent syncs work perfectly after applying a manual workaround.',
      source: 'https://github.com/silvanocerza/github-gitless-sync/issues/42',
      otherKind: 'invalid_request',
    },
    {
      // tune nz3-053 (its opening)
      text: "I am attempting to upload my Python package to PyPI using twine, but consistently receive the error: 403 Invalid or non-existent authentication information. I've checked the following:\n\nVerified the correctness of my PyPI username and password.\nChecked for any trailing or leading characters in my credentials.",
      source: 'https://github.com/pypi/warehouse/issues/14826',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      text: 'The GitHub sync on my laptop worked for months; since yesterday it fails with 401 Bad credentials, the token expired.',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('a placeholder sent where the token goes: a first setup (issue 10)', () => {
  test.each<NotLoginCase>([
    {
      // tune nj-103
      text: 'https://graph.facebook.com/v2.10/me/adaccounts?fields=business_name&access_token=%3CACCESS_TOKEN%3E\n\nthis is the result\n\n{\n   "error": {\n      "message": "Invalid OAuth access token.",\n      "type": "OAuthException",\n      "code": 190,\n      "fbtrace_id": "BaWg33f65xE"\n   }\n}\n\nyou need to substitute \'<ACCESS_TOKEN>\' with your valid access token.',
      source: 'https://github.com/hellowearemito/dataconnector-facebook/issues/13',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      text: '{"error":{"message":"Error validating access token: Session has expired on Friday, 12-Jan-24 10:00:00 PST.","type":"OAuthException","code":190,"error_subcode":463}}',
      platform: 'meta',
      cause: 'token_max_lifetime',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('works in one environment and not in another, or credentials configured one way and another used: a setup problem (issue 10)', () => {
  test.each<NotLoginCase>([
    {
      // tune nw-105
      text: 'Inner exception message : "The OAuth2 token is invalid."\nPulling posts from wordpress doesn\'t work on netlify, but works fine locally.',
      source: 'https://github.com/gatsbyjs/gatsby/issues/3571',
      otherKind: 'invalid_request',
    },
    {
      // tune nq-263
      text: "Failed to Renew OAuth token via On-Premises Data Gateway (For non-admins users)\nI'm having an issue with OAuth 2.0 for a Rest API data source using a custom connector.\n\nThe custom connector works fine on Power BI desktop and for On Premise Data Gateway Admins users. However, if a data source user (non gateway admin) try to refresh the data set he get the following error:",
      source: 'https://github.com/microsoft/DataConnectors/issues/403',
      otherKind: 'invalid_request',
    },
    {
      // tune nz8-035
      text: "I am getting the below error while building pkg\n\n[ERROR/MainProcess] Task redash.tasks.refresh_queries raised unexpected: ProgrammingError('FATAL', 'xxxxx', 'password authentication failed for user \"redash\"', 'auth.c', 'xxx', 'auth_failed', u'', u'')\n\nBut the user name i configured is redash_reader not sure where this user\"redash\" coming from? how to fix this? ",
      source: 'https://github.com/getredash/redash/issues/1266',
      otherKind: 'invalid_request',
    },
    {
      // tune nz8-036
      text: 'I am encountering password authentication failed issue between lightdash and postgres warehouse which is setup locally , even though profile.yml for DBT is correctly configured with the right credentials.How do i fix this issues',
      source: 'https://github.com/lightdash/lightdash/issues/12479',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      text: "The Google Drive sync isn't working on my local machine any more: invalid_grant, Token has been expired or revoked.",
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

describe('the first use told as such: a first setup (issue 10)', () => {
  test.each<NotLoginCase>([
    {
      // tune np-002
      text: "For some reason, specifying credential path via `credentials_path` constructor parameter when creating `GoogleDriveLoader` makes it so that the oAuth screen is never showing up when first using GoogleDriveLoader. Instead, the `RefreshError: ('invalid_grant: Bad Request', {'error': 'invalid_grant', 'error_description': 'Bad Request'})` error happens. Setting it via `os.environ[\"GOOGLE_APPLICATION_CREDENTIALS\"] = ...` solves the problem.",
      source: 'https://github.com/langchain-ai/langchain/pull/11335',
      otherKind: 'invalid_request',
    },
    {
      // tune nq-254
      text: 'Authentication failed error is seen for Gsheets on the reconnect modal while importing an app, the first time we try to authorize the Gsheet. On retry, it works fine.',
      source: 'https://github.com/appsmithorg/appsmith/issues/26170',
      otherKind: 'invalid_request',
    },
  ])('$text', expectNotLoginError);

  test.each<LoginCase>([
    {
      // tune pc-017: a lapse after the first use
      source: 'https://github.com/jsforce/jsforce/issues/1656',
      text: "I'm integrating my existing application to Salesforce, but the refresh token works only on the first use, then it says `expired access/refresh token`.",
      platform: 'salesforce',
      cause: 'unknown',
    },
  ])('still a login error: $text', expectLoginError);
});

// A stranger's review of the session after batch J (2026-12-06) tried each new phrase on ordinary chat
// and on lapse reports worded near them (made up, no source). Everyday questions about settings,
// lifetimes, VPNs and billing got a login card; lapse reports that also wished, asked or named an
// outage, a trial or onboarding lost theirs, the README's own Meta password message among them.
describe('the review of the phrases from tune misses: ordinary chat stays quiet, lapses keep their card', () => {
  test.each([
    'Do we need to reconfigure every dashboard after the migration?',
    'We reconfigure the pipeline every quarter to pick up new fields.',
    'My VPN has become disconnected twice today',
    'The database connection had become disconnected during the nightly load',
    'Users are automatically logged out after 30 minutes of inactivity, can we change that?',
    'The session cookie expires after 30 minutes, is that configurable?',
    'our consent cookie expires in 12 months per GDPR',
    'My account is expired, how do I renew my subscription?',
    'O token expira em 60 dias, conforme a documentação.',
    'El token expira cada hora, según la documentación.',
    'Nach dem Login muss der Bericht neu erstellt werden',
    'Mein Laptop verliert ständig die Verbindung zum WLAN, was kann ich tun?',
    'Anda harus scan QR code untuk login pertama kali',
  ])('%s', (text) => expectNotLoginError({ text }));

  test.each<LoginCase>([
    {
      text: 'We need to ensure the sync works; since Monday we get Error validating access token: The session has been invalidated because the user changed their password',
      platform: 'meta',
      cause: 'password_changed',
    },
    {
      text: 'I filed a feature request last year; today: Error validating access token: Session has expired',
      platform: 'meta',
      cause: 'token_max_lifetime',
    },
    { text: 'We should be able to log in but it says session expired', cause: 'unknown' },
    {
      text: 'It would be great if you could fix this: invalid_grant Token has been expired or revoked.',
      cause: 'unknown',
    },
    {
      text: 'Reconnecting helps and this fixes the issue for a day, then the token expired again',
      cause: 'unknown',
    },
    { text: 'Token expired after 1 hour. what is the lifetime supposed to be?', cause: 'unknown' },
    {
      text: 'Outlook still works but the Gmail sync fails after I changed my password',
      cause: 'password_changed',
    },
    { text: 'Getting invalid_grant since this morning, is there an issue on your side?', cause: 'unknown' },
    {
      text: 'Our refresh token expired after the service outage and now every call returns invalid_grant',
      cause: 'unknown',
    },
    { text: 'During onboarding everything worked, since last week the token expired', cause: 'unknown' },
    { text: 'The same token works for about an hour, then I get 401 token expired', cause: 'unknown' },
    { text: 'Since my trial ended and I upgraded, the token expired and the sync stopped', cause: 'unknown' },
  ])('still a login error: $text', expectLoginError);
});
