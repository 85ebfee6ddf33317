import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose, loadKnowledge } from '../../src/diagnosis';

// One test per documented code row that carries an example: the platform's own error, in the shape
// its reference shows, must come out as that platform and the row's cause (or, for a look-alike
// that is not a login problem, isTokenError false with the row's otherKind).
const knowledge = loadKnowledge();
const rows = knowledge.platforms.flatMap((p) =>
  p.codes
    .filter((c) => c.example !== undefined)
    .map((c) => [`${p.id} ${c.code}`, { platform: p.id, ...c, example: c.example ?? '' }] as const),
);

describe('documented code tables', () => {
  test('hold enough rows to be worth generating tests from', () => {
    expect(rows.length).toBeGreaterThan(0);
  });

  test.each(rows)('%s', (_name, row) => {
    const d = diagnose(row.example, knowledge);
    expect({
      platform: d.platform,
      cause: d.cause,
      otherKind: d.otherKind,
      isTokenError: d.isTokenError,
    }).toEqual({
      platform: row.platform,
      cause: row.cause ?? null,
      otherKind: row.otherKind ?? null,
      isTokenError: row.cause !== undefined,
    });
    expect(d.errorCode?.toLowerCase()).toBe(row.code.toLowerCase());
  });
});

describe('codes found through the table, without a codeFormats alternative', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  function overlay(yaml: string) {
    const dir = mkdtempSync(join(tmpdir(), 'tokenfix-codes-'));
    dirs.push(dir);
    const file = join(dir, 'team.yml');
    writeFileSync(file, yaml);
    return loadKnowledge({ overlayPath: file });
  }
  const k = overlay(
    [
      'platforms:',
      '  - id: acmeads',
      '    name: Acme Ads',
      '    reauthGuide: https://support.example.com/reconnect-acme',
      '    codes:',
      '      - {code: ACME_SEAT_REMOVED, cause: user_removed_by_admin, source: "https://acme.example/errors"}',
      '      - {code: ACME_QUOTA_SPENT, otherKind: license_or_quota, source: "https://acme.example/errors"}',
      '      - {code: invalid_grant, cause: unknown, source: "https://acme.example/errors"}',
      '      - {code: PERMISSION_DENIED, otherKind: permission_missing, source: "https://acme.example/errors"}',
    ].join('\n'),
  );

  test('a code only one platform documents names the platform and decides the cause, even with no prefilter word', () => {
    const d = diagnose('{"status": 400, "reason": "ACME_SEAT_REMOVED"}', k);
    expect(d).toMatchObject({
      isTokenError: true,
      platform: 'acmeads',
      cause: 'user_removed_by_admin',
      errorCode: 'ACME_SEAT_REMOVED',
    });
  });

  test('a look-alike row gives its otherKind', () => {
    const d = diagnose('sync stopped: ACME_QUOTA_SPENT', k);
    expect(d).toMatchObject({ isTokenError: false, platform: 'acmeads', otherKind: 'license_or_quota' });
  });

  test('a code many platforms use does not claim a platform on its own', () => {
    expect(diagnose('{"error": "invalid_grant"}', k).platform).toBeNull();
  });

  test('a common enum name in a table is not taken alone as the platform', () => {
    expect(diagnose('status: PERMISSION_DENIED', k).platform).not.toBe('acmeads');
  });

  test("a number several tables document names the platform only beside that platform's documented message", () => {
    // 215 is in X's table and in Meta's (its 200-299 permission range). A format that quotes X's message
    // for it says whose it is; a bare number in a generic shape says nothing, nor do the OAuth codes
    // every platform shares.
    const shapes = overlay(
      [
        'platforms:',
        '  - id: acmeads',
        '    name: Acme Ads',
        '    reauthGuide: https://support.example.com/reconnect-acme',
        "    codeFormats: ['\\bacme_status\\W{1,4}(215|invalid_grant)\\b(?:\\W{1,6}[\\w ]{1,40})?']",
        '    codes:',
        '      - {code: "215", cause: user_removed_by_admin, message: "Seat removed by your admin.", source: "https://acme.example/errors"}',
        '      - {code: invalid_grant, cause: unknown, source: "https://acme.example/errors"}',
      ].join('\n'),
    );
    expect(diagnose('{"error": "acme_status 215: Seat removed by your admin."}', shapes)).toMatchObject({
      isTokenError: true,
      platform: 'acmeads',
      cause: 'user_removed_by_admin',
      errorCode: '215',
    });
    expect(diagnose('{"error": "acme_status 215: Unsupported media type"}', shapes).platform).toBeNull();
    expect(diagnose('{"error": {"acme_status": "invalid_grant"}}', shapes).platform).toBeNull();
  });

  test("a generic code shape doesn't claim a number for a platform whose documented message is absent", () => {
    // X's look-alike 415 (callback URL) is read only beside X's message; QuickBooks' 100/120 only in its XML fault.
    expect(diagnose('{"code": 415, "message": "Unsupported Media Type"}', k).platform).not.toBe('x');
    expect(diagnose('Bing Ads: Error code: 120 token', k).platform).not.toBe('quickbooks');
    expect(diagnose('Facebook token call failed: Error code 100 - Invalid parameter', k).platform).not.toBe(
      'quickbooks',
    );
  });

  test('the code must be a whole identifier', () => {
    expect(diagnose('ACME_SEAT_REMOVED_LATER was renamed', k).platform).toBeNull();
    expect(diagnose('see my_variable_name in the diff', k).isTokenError).toBe(false);
  });
});

// One way to read an expired password: the tables of Microsoft (AADSTS50055), Okta (PASSWORD_EXPIRED)
// and Salesforce (INVALID_OPERATION_WITH_EXPIRED_PASSWORD) call it password_changed, since a new
// password is set and then every connection made with the old one is reconnected.
describe('a documented expired password is password_changed on every platform', () => {
  const expiredPassword = knowledge.platforms.flatMap((p) =>
    p.codes
      .filter((c) =>
        /\bpassword (?:has )?expired\b|\bexpired password\b/i.test(`${c.meaning} ${c.message ?? ''}`),
      )
      .map((c) => [`${p.id} ${c.code}`, c.cause ?? null] as const),
  );
  test('the rule has rows to hold', () => {
    expect(expiredPassword.length).toBeGreaterThan(2);
  });
  test.each(expiredPassword)('%s', (_name, cause) => {
    expect(cause).toBe('password_changed');
  });
});
