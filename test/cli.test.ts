import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store';
import { blockKitProblems } from './support/block-kit-limits';

// The CLI as other programs use it: the built bin (npm test builds dist/ first, see "pretest").
const BIN = join(__dirname, '..', 'dist', 'cli.js');
const CONTRACT_KEYS = [
  'isTokenError',
  'platform',
  'dataSource',
  'cause',
  'confidence',
  'alternatives',
  'errorCode',
  'evidence',
  'secretsRedacted',
  'otherKind',
];
const ARTICLE =
  'Error validating access token: the session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.';

function run(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, KNOWLEDGE_PATH: '', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tokenfix diagnose', () => {
  test("the issue's example names Meta and the password change, and ends with a Block Kit Builder link", () => {
    const r = run(['diagnose', ARTICLE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Platform: +Meta \(meta\)/);
    expect(r.stdout).toMatch(/Cause: +The password was changed \(password_changed\)/);
    const last = r.stdout.trim().split('\n').at(-1) ?? '';
    expect(last).toMatch(/^Preview the Slack card: https:\/\/app\.slack\.com\/block-kit-builder\/#/);
    const payload = JSON.parse(decodeURIComponent(last.split('#')[1] ?? '')) as { blocks: unknown[] };
    expect(payload.blocks.length).toBeGreaterThan(3);
  });

  test('a login error only the learned model read says so, as the card does (asks take it, point 24)', () => {
    // Made up: a lapse told in words no rule knows.
    const text =
      'hey, our facebook pages stopped syncing again, it says we need to log back in but nobody changed anything';
    const r = run(['diagnose', text]);
    expect(r.stdout).toMatch(/^Login \(token\) error: yes$/m);
    expect(r.stdout).toMatch(/^Evidence: +none matched: the learned model’s reading, so double-check it$/m);
    expect(run(['diagnose', ARTICLE]).stdout).not.toMatch(/learned model/);
  });

  test('--json prints the contract Diagnosis, in the contract field order', () => {
    const r = run(['diagnose', '--json', ARTICLE]);
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(d)).toEqual(CONTRACT_KEYS);
    expect(d).toMatchObject({
      isTokenError: true,
      platform: 'meta',
      cause: 'password_changed',
      otherKind: null,
    });
  });

  test('--json reads the text from stdin when none is given', () => {
    const r = run(['diagnose', '--json'], 'AADSTS700082: The refresh token has expired due to inactivity.');
    expect(JSON.parse(r.stdout)).toMatchObject({
      isTokenError: true,
      platform: 'microsoft',
      errorCode: 'AADSTS700082',
    });
  });

  test('--blocks prints the message the bot would post, within Block Kit limits', () => {
    const r = run(['diagnose', '--blocks', ARTICLE]);
    const message = JSON.parse(r.stdout) as { text: string; blocks: unknown[] };
    expect(message.text).toMatch(/Meta/);
    expect(blockKitProblems(message)).toEqual([]);
  });

  test('--jsonl answers each line in order, bad lines with an error, blank lines skipped', () => {
    const input = [
      JSON.stringify({ id: 1, text: ARTICLE }),
      '',
      'this is not json',
      JSON.stringify({ id: 'b', text: 42 }),
      JSON.stringify({ id: 3, text: 'lunch at noon?' }),
      '[1,2]',
    ].join('\n');
    const r = run(['diagnose', '--jsonl'], input);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ id: 1, isTokenError: true, cause: 'password_changed' });
    expect(lines[1]).toEqual({ id: null, error: 'not valid JSON' });
    expect(lines[2]).toEqual({ id: 'b', error: '"text" must be a string' });
    expect(lines[3]).toMatchObject({ id: 3, isTokenError: false });
    expect(lines[4]).toEqual({ id: null, error: 'line is not a JSON object' });
  });

  test('--passive: whether passive listening would answer, and why not; an ask of the same text still gets the card', () => {
    const refused = 'I created a new API key in my Mailchimp account and I keep getting "Invalid API key".';
    const lapsed = 'Our Facebook sync worked for months and now I get "Invalid access token" on every run.';
    expect(JSON.parse(run(['diagnose', '--json', refused]).stdout)).toMatchObject({ isTokenError: true });
    expect(JSON.parse(run(['diagnose', '--passive', '--json', refused]).stdout)).toMatchObject({
      isTokenError: false,
      passive: { answers: false, why: expect.stringMatching(/refused.*refusalCheck/) },
    });
    const human = run(['diagnose', '--passive', refused]).stdout;
    expect(human).toMatch(/^Passive listening stays quiet: a credential merely refused/);
    expect(human).toMatch(/Asked \(\/tokenfix.*\n\nLogin \(token\) error: yes/);
    expect(run(['diagnose', '--passive', lapsed]).stdout).toMatch(/^Passive listening answers: /);
    // --blocks: the card only when it would answer; else nothing on stdout, the reason on stderr.
    expect(JSON.parse(run(['diagnose', '--passive', '--blocks', lapsed]).stdout).text).toMatch(/Meta/);
    const quiet = run(['diagnose', '--passive', '--blocks', refused]);
    expect([quiet.status, quiet.stdout]).toEqual([0, '']);
    expect(quiet.stderr).toMatch(/passive listening would stay quiet: a credential merely refused/);
    const lines = [JSON.stringify({ id: 1, text: refused }), JSON.stringify({ id: 2, text: lapsed })].join(
      '\n',
    );
    const read = run(['diagnose', '--jsonl', '--passive'], lines)
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; passive: { answers: boolean } });
    expect(read.map((d) => [d.id, d.passive.answers])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  test('--passive follows passiveMinConfidence in every form', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokenfix-cli-'));
    try {
      const overlay = join(dir, 'team.yml');
      writeFileSync(overlay, 'settings:\n  passiveMinConfidence: 0.9\n');
      const env = { KNOWLEDGE_PATH: overlay };
      const text = 'Google Ads connector failed: invalid_grant: Token has been expired or revoked.';
      const json = JSON.parse(run(['diagnose', '--passive', '--json', text], undefined, env).stdout);
      expect(json).toMatchObject({ isTokenError: true, passive: { answers: false } });
      expect(json.passive.why).toMatch(/below passiveMinConfidence 0\.9/);
      expect(run(['diagnose', '--passive', text], undefined, env).stdout).toMatch(
        /^Passive listening stays quiet: confidence \d+% is below passiveMinConfidence 0\.9/,
      );
      expect(run(['diagnose', '--passive', '--blocks', text], undefined, env).stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [['diagnose', ''], /empty/],
    [['diagnose', '   '], /empty/],
    [['diagnose', '--json', '--blocks', 'x'], /only one of/],
    [['diagnose', '--frobnicate', 'x'], /unknown option/],
    [['frobnicate'], /unknown command/],
    [[], /missing command/],
  ])('usage error %j exits 2 with a clear message', (args, message) => {
    const r = run(args as string[], '');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/usage: tokenfix diagnose/);
    expect(r.stdout).toBe('');
  });

  test('empty stdin is a usage error too', () => {
    expect(run(['diagnose', '--json'], '  \n').status).toBe(2);
  });

  test('an invalid KNOWLEDGE_PATH stops it with one line naming file and path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokenfix-cli-'));
    try {
      const file = join(dir, 'team.yml');
      writeFileSync(file, 'settings:\n  triggerEmoji: "not an emoji!"\n');
      const r = run(['diagnose', 'x'], undefined, { KNOWLEDGE_PATH: file });
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`${file}: settings.triggerEmoji:`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('binary junk, Slack markup and a 40,000-character paste get an answer, not a crash', () => {
    for (const text of [
      '\u0000\u0001\u00ff\ufffd'.repeat(100),
      '<@U123> <#C1|ops> &amp; ```invalid_grant```',
      'a'.repeat(40_000),
    ]) {
      const r = run(['diagnose', '--json'], text);
      expect(r.status).toBe(0);
      expect(Object.keys(JSON.parse(r.stdout) as object)).toEqual(CONTRACT_KEYS);
    }
  });

  test('a pasted secret is never echoed', () => {
    const secret = 'EAAGm0PX4ZCpsBAKZCqTg7Yx0ZBhs9Lh2ZBZAl5TokenPlant123';
    const out = execFileSync(process.execPath, [BIN, 'diagnose', `${ARTICLE} access_token=${secret}`], {
      encoding: 'utf8',
    });
    expect(out).not.toContain(secret);
    expect(out).toMatch(/Secrets masked: 1/);
  });
});

describe('tokenfix diagnose --image', () => {
  const SHOT = join(__dirname, 'fixtures', 'screenshots', 'microsoft-001.dark.2x.png');

  test('--json reads the screenshot offline and says so with "source": "image"', () => {
    const r = run(['diagnose', '--json', '--image', SHOT]);
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(d)).toEqual([...CONTRACT_KEYS, 'source']);
    expect(d).toMatchObject({ platform: 'microsoft', cause: 'refresh_token_inactive', source: 'image' });
  });

  test('--blocks tells the reader the card came from a screenshot, and quotes the line read', () => {
    const r = run(['diagnose', '--blocks', '--image', SHOT]);
    expect(r.status).toBe(0);
    const message = JSON.parse(r.stdout) as { blocks: unknown[] };
    expect(blockKitProblems(message)).toEqual([]);
    expect(r.stdout).toContain('Read from a screenshot');
    expect(r.stdout).toContain('AADSTS700082: The refresh token has expired due to inactivity');
  });

  test('usage errors: no file name, a missing file, not an image, text as well, --jsonl, --passive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokenfix-cli-'));
    try {
      const notes = join(dir, 'notes.txt');
      writeFileSync(notes, 'invalid_grant');
      for (const args of [
        ['diagnose', '--image'],
        ['diagnose', '--image', join(dir, 'missing.png')],
        ['diagnose', '--image', notes],
        ['diagnose', '--image', SHOT, 'invalid_grant'],
        ['diagnose', '--jsonl', '--image', SHOT],
        ['diagnose', '--passive', '--image', SHOT],
      ]) {
        const r = run(args);
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(/^tokenfix: /);
        expect(r.stdout).toBe('');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a damaged knowledge/model.json: one line naming it, exit 1, no stack trace', () => {
    // A copy of the built CLI whose model file (read for explicit asks) is cut short.
    const copy = mkdtempSync(join(tmpdir(), 'tokenfix-cli-'));
    try {
      const root = join(__dirname, '..');
      cpSync(join(root, 'dist'), join(copy, 'dist'), { recursive: true });
      cpSync(join(root, 'knowledge'), join(copy, 'knowledge'), { recursive: true });
      symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
      writeFileSync(join(copy, 'knowledge', 'model.json'), '{"format": "tokenfix-model-3", "tok');
      const diagnose = () =>
        spawnSync(process.execPath, [join(copy, 'dist', 'cli.js'), 'diagnose', 'invalid_grant'], {
          encoding: 'utf8',
          env: { ...process.env, KNOWLEDGE_PATH: '' },
        });
      // With the model answering neither asks nor passive listening (as shipped), the file isn't read.
      const settings = join(copy, 'knowledge', 'settings.yml');
      const shipped = readFileSync(settings, 'utf8');
      writeFileSync(
        settings,
        shipped
          .replace('modelAnswersAsks: true', 'modelAnswersAsks: false')
          .replace('modelAnswersPassive: true', 'modelAnswersPassive: false'),
      );
      expect(diagnose().status).toBe(0);
      // Answering asks, `tokenfix diagnose` (what an ask gets) reads it.
      writeFileSync(settings, shipped.replace('modelAnswersAsks: false', 'modelAnswersAsks: true'));
      const r = diagnose();
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^tokenfix: knowledge\/model\.json can't be read: /);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('tokenfix stats', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenfix-stats-'));
  const databaseUrl = `sqlite:${join(dir, 'tokenfix.db')}`;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    const store = await openStore(databaseUrl);
    const yesterday = Date.now() - 86_400_000;
    const base = {
      team: 'T0001',
      user: 'U0001',
      entryPoint: 'passive' as const,
      platform: 'meta',
      cause: 'password_changed',
      confidence: 0.9,
      errorCode: '190/460',
      isTokenError: true,
    };
    await store.recordDiagnosis({
      ...base,
      at: yesterday,
      channel: 'C0001',
      cardKey: 'card-a',
      messageHash: store.hashMessage(ARTICLE),
    });
    await store.recordDiagnosis({
      ...base,
      at: yesterday,
      channel: 'C0002',
      messageHash: store.hashMessage('another'),
    });
    await store.recordDiagnosis({
      ...base,
      at: Date.now() - 40 * 86_400_000,
      channel: 'C0003',
      messageHash: store.hashMessage('older'),
    });
    await store.recordVote('card-a', 'U0002', 'fixed');
    await store.close();
  });

  test('--format csv: a header and one line per day × team × channel × platform × cause; never text', () => {
    const r = run(['stats', '--since', '30d', '--format', 'csv'], undefined, { DATABASE_URL: databaseUrl });
    expect(r.status).toBe(0);
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(r.stdout.trim().split('\n')).toEqual([
      'day,team,channel,platform,cause,token_error,diagnoses,fixed_votes,still_broken_votes',
      `${day},T0001,C0001,meta,password_changed,true,1,1,0`,
      `${day},T0001,C0002,meta,password_changed,true,1,0,0`,
    ]);
    expect(r.stdout).not.toContain('Error validating');
  });

  test('--format json, and a longer window finds the older row', () => {
    const r = run(['stats', '--since', '60d', '--format', 'json'], undefined, { DATABASE_URL: databaseUrl });
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ team: 'T0001', channel: 'C0003', platform: 'meta', diagnoses: 1 });
  });

  test('usage errors say what is wrong; a missing store is named, not created', () => {
    for (const args of [['--since', 'yesterday'], ['--format', 'xml'], ['--team', 'nope'], ['--bogus']]) {
      const r = run(['stats', ...args], undefined, { DATABASE_URL: databaseUrl });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^tokenfix: /);
    }
    const missing = `sqlite:${join(dir, 'nothing-here.db')}`;
    const r = run(['stats'], undefined, { DATABASE_URL: missing });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('there is no store at DATABASE_URL');
    const bad = run(['stats'], undefined, { DATABASE_URL: 'mysql://nope' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('DATABASE_URL');
  });
});
