import { analyze, loadKnowledge } from '../../src/diagnosis';

// The classifier reads names and table codes in one pass over the text's words (readWords in
// diagnose.ts), a speed rewrite of two separate passes. These are the shapes that pass treats with
// care — a name's words split by a link, a name start followed by words no name has, names glued into
// identifiers, a code and a name in one identifier, a capital after a comma — with the answers the
// two-pass build gave (recorded on it, e79aa66), so later speed work can't change them unnoticed.
// diagnose-snapshot.test.ts guards the corpus; these guard shapes the corpus may not hold.

const knowledge = loadKnowledge();

const read = (text: string) => {
  const { platform, dataSource, errorCode, isTokenError } = analyze(text, knowledge).diagnosis;
  return { platform, dataSource, errorCode, isTokenError };
};

test.each([
  ['Our Facebook Ads token expired again', 'meta', 'Facebook Ads', null, true],
  // Words inside a link are not read: the name's words on either side of it still make the name.
  ['facebook https://example.com/page ads: the token expired', 'meta', 'Facebook Ads', null, true],
  ['the facebook ads https://facebook.com/ads token expired', 'meta', 'Facebook Ads', null, true],
  ['Google Search Console says the token expired', 'google', 'Google Search Console', null, true],
  // "api" starts names, but none goes on with "key".
  ['api key invalid for the youtube data api', 'google', 'YouTube', null, false],
  ['QuickbooksClient threw: token expired', 'quickbooks', null, null, true],
  [
    'processSalesforceResponse: invalid_grant, token expired',
    'salesforce',
    'Salesforce',
    'invalid_grant',
    true,
  ],
  // One identifier: the name is read from its first word, the whole is no table code.
  ['salesforce_INVALID_SESSION_ID error', 'salesforce', 'Salesforce', null, false],
  [
    'INVALID_SESSION_ID from Salesforce after the token expired',
    'salesforce',
    'Salesforce',
    'INVALID_SESSION_ID',
    true,
  ],
  ['Since Monday, Zoom says the token expired', 'zoom', null, null, true],
  // A capital in a title ("Check Box") names nothing.
  ['Check Box: the token expired', null, null, null, true],
])('%s', (text, platform, dataSource, errorCode, isTokenError) => {
  expect(read(text)).toEqual({ platform, dataSource, errorCode, isTokenError });
});
