import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/diagnosis';
import { BUILT_IN_CONFIDENCE, DECISION_PATHS } from '../../src/diagnosis/confidence';
import { BUILT_IN_KNOWLEDGE_DIR, KnowledgeError, loadKnowledge } from '../../src/diagnosis/knowledge';
import { CAUSE_IDS } from '../../src/diagnosis/types';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokenfix-knowledge-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of the built-in knowledge with one file rewritten. */
function brokenCopy(file: string, edit: (text: string) => string): string {
  const dir = tempDir();
  cpSync(BUILT_IN_KNOWLEDGE_DIR, dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

function loadError(fn: () => unknown): KnowledgeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KnowledgeError) return e;
    throw e;
  }
  throw new Error('expected a KnowledgeError');
}

describe('the built-in knowledge', () => {
  const k = loadKnowledge();

  test('has all nine contract causes in the article order', () => {
    expect([...k.causes.keys()]).toEqual([...CAUSE_IDS]);
  });

  test('has at least 25 platforms, each with a re-authentication guide and sourced facts', () => {
    expect(k.platforms.length).toBeGreaterThanOrEqual(25);
    for (const p of k.platforms) {
      expect(p.reauthGuide).toMatch(/^https:\/\//);
      for (const c of p.codes) expect(c.source).toMatch(/^https?:\/\//);
      for (const l of p.lifetimes) expect(l.source).toMatch(/^https?:\/\//);
    }
  });

  test('names the browsers whose cache-clearing pages the card links to', () => {
    expect(k.fixes.browsers.map((b) => b.name)).toEqual(['Chrome', 'Firefox', 'Safari', 'Edge']);
  });

  test('has the known traps', () => {
    expect(k.fixes.traps.map((t) => t.id)).toEqual(
      expect.arrayContaining(['google_testing_mode', 'wrong_account', 'several_accounts']),
    );
  });
});

describe('invalid knowledge fails with file, path and problem', () => {
  test('a cause id that does not exist', () => {
    const dir = brokenCopy('causes.yml', (t) => t.replace('id: password_changed', 'id: pasword_changed'));
    const e = loadError(() => loadKnowledge({ dir }));
    expect(e.file).toBe(join(dir, 'causes.yml'));
    expect(e.path).toBe('causes[2].id');
    expect(e.message).toMatch(/causes\.yml: causes\[2\]\.id: Invalid option/);
  });

  test('a broken regular expression in a platform file', () => {
    const dir = brokenCopy('signals.yml', (t) =>
      t.replace("- pattern: 'error validating access token'", "- pattern: 'error (validating'"),
    );
    const e = loadError(() => loadKnowledge({ dir }));
    expect(e.path).toBe('phrases[0].pattern');
    expect(e.problem).toMatch(/not a valid regular expression/);
  });

  test('a code row whose example shows neither its code nor its message', () => {
    const dir = brokenCopy('platforms/notion.yml', (t) =>
      t.replace(/(code: "unauthorized".*?example: )"(?:[^"\\]|\\.)*"/, '$1"HTTP 401 from the API"'),
    );
    const e = loadError(() => loadKnowledge({ dir }));
    expect(e.file).toBe(join(dir, 'platforms', 'notion.yml'));
    expect(e.path).toMatch(/^codes\[\d+\]\.example$/);
    expect(e.problem).toMatch(/neither the code "unauthorized" nor its message/);
  });

  test('YAML that does not parse', () => {
    const dir = brokenCopy('fixes.yml', (t) => `${t}\n  bad: [unclosed\n`);
    const e = loadError(() => loadKnowledge({ dir }));
    expect(e.file).toBe(join(dir, 'fixes.yml'));
    expect(e.problem).toMatch(/not valid YAML/);
  });

  test('a platform file whose id does not match its name', () => {
    const dir = brokenCopy('platforms/meta.yml', (t) => t.replace(/^id: meta$/m, 'id: facebook'));
    const e = loadError(() => loadKnowledge({ dir }));
    expect(e.file).toBe(join(dir, 'platforms', 'meta.yml'));
    expect(e.path).toBe('id');
  });

  test('a bad URL in a KNOWLEDGE_PATH overlay', () => {
    const file = join(tempDir(), 'team.yml');
    writeFileSync(file, 'platforms:\n  - id: meta\n    reauthGuide: not-a-url\n');
    const e = loadError(() => loadKnowledge({ overlayPath: file }));
    expect(e.file).toBe(file);
    expect(e.path).toBe('platforms[0].reauthGuide');
  });

  test('a passive reply cap that is not a positive whole number', () => {
    for (const bad of ['0', '2.5', 'many']) {
      const dir = brokenCopy('settings.yml', (t) =>
        t.replace('passiveRepliesPerMinute: 6', `passiveRepliesPerMinute: ${bad}`),
      );
      const e = loadError(() => loadKnowledge({ dir }));
      expect(e.file).toBe(join(dir, 'settings.yml'));
      expect(e.path).toBe('settings.passiveRepliesPerMinute');
    }
    // Its default, when a settings file leaves it out.
    const dir = brokenCopy('settings.yml', (t) => t.replace(/^\s*passiveRepliesPerMinute: 6\n/m, ''));
    expect(loadKnowledge({ dir }).settings.passiveRepliesPerMinute).toBe(6);
  });

  test('where the refusal check applies: off, passive or all (true and false read as all and off)', () => {
    const file = join(tempDir(), 'team.yml');
    for (const [written, read] of [
      ['off', 'off'],
      ['passive', 'passive'],
      ['all', 'all'],
      ['true', 'all'],
      ['false', 'off'],
    ]) {
      writeFileSync(file, `settings:\n  refusalCheck: ${written}\n`);
      expect(loadKnowledge({ overlayPath: file }).settings.refusalCheck).toBe(read);
    }
    writeFileSync(file, 'settings:\n  refusalCheck: asks\n');
    const e = loadError(() => loadKnowledge({ overlayPath: file }));
    expect(e.file).toBe(file);
    expect(e.path).toBe('settings.refusalCheck');
  });

  test('a missing overlay file', () => {
    const e = loadError(() => loadKnowledge({ overlayPath: '/nonexistent/team.yml' }));
    expect(e.message).toMatch(/\/nonexistent\/team\.yml: \(top\): cannot read file \(ENOENT\)/);
  });
});

describe('a KNOWLEDGE_PATH overlay', () => {
  test('overrides a re-authentication guide and a cause title, and adds a platform', () => {
    const file = join(tempDir(), 'team.yml');
    writeFileSync(
      file,
      [
        'causes:',
        '  - id: password_changed',
        '    title: Password was changed (see our runbook)',
        'platforms:',
        '  - id: meta',
        '    reauthGuide: https://support.example.com/reconnect-facebook',
        '  - id: acmeads',
        '    name: Acme Ads',
        '    names: [acme ads]',
        "    signatures: ['api\\.acmeads\\.example']",
        '    reauthGuide: https://support.example.com/reconnect-acme',
        'settings:',
        '  triggerEmoji: lock',
      ].join('\n'),
    );
    const k = loadKnowledge({ overlayPath: file });
    expect(k.causes.get('password_changed')?.title).toBe('Password was changed (see our runbook)');
    const meta = k.platforms.find((p) => p.id === 'meta');
    expect(meta?.reauthGuide).toBe('https://support.example.com/reconnect-facebook');
    expect(meta?.codes.length).toBeGreaterThan(5);
    expect(k.settings.triggerEmoji).toBe('lock');
    const d = diagnose('Request to api.acmeads.example failed: invalid_grant', k);
    expect(d.platform).toBe('acmeads');
  });
});

describe('customer reply texts (knowledge/customer-replies.yml)', () => {
  test('an overlay replaces one language field by field; the rest stays', () => {
    const file = join(tempDir(), 'team.yml');
    writeFileSync(
      file,
      [
        'customerReplies:',
        '  languages:',
        '    de:',
        '      greeting: Guten Tag,',
        '      causes:',
        '        unknown: Die Anmeldung gilt nicht mehr.',
      ].join('\n'),
    );
    const k = loadKnowledge({ overlayPath: file });
    expect(k.customerReplies.de.greeting).toBe('Guten Tag,');
    expect(k.customerReplies.de.causes.unknown).toBe('Die Anmeldung gilt nicht mehr.');
    expect(k.customerReplies.de.causes.password_changed).toBe(
      loadKnowledge().customerReplies.de.causes.password_changed,
    );
  });

  test('a missing cause text is reported with file and path', () => {
    const dir = brokenCopy('customer-replies.yml', (t) =>
      t.replace(/\n {6}refresh_token_inactive: >-\n(?: {8}.*\n)+/, '\n'),
    );
    const e = loadError(() => loadKnowledge({ dir }));
    expect(e.file).toBe(join(dir, 'customer-replies.yml'));
    expect(e.path).toMatch(/^languages\.en\.causes/);
  });

  test('an overlay naming a language we do not write in is refused', () => {
    const file = join(tempDir(), 'team.yml');
    writeFileSync(file, 'customerReplies:\n  languages:\n    ja:\n      greeting: こんにちは\n');
    const e = loadError(() => loadKnowledge({ overlayPath: file }));
    expect(e.path).toMatch(/^customerReplies\.languages/);
  });
});

describe('the calibration file (knowledge/calibration.yml, written by npm run calibrate)', () => {
  /** The file's `confidence: X` line for one path. */
  const confidenceOf = (path: string) => new RegExp(`(\\n    ${path}:\\n      confidence: )[0-9.]+`);

  test('the built-in one loads, and the engine states its confidences', () => {
    const k = loadKnowledge();
    const text = readFileSync(join(BUILT_IN_KNOWLEDGE_DIR, 'calibration.yml'), 'utf8');
    for (const path of DECISION_PATHS) {
      const stated = text.match(confidenceOf(path));
      expect(stated).not.toBeNull();
      expect(k.confidence[path]).toBe(Number(stated?.[0].split(': ').pop()));
    }
  });

  test('without it, the engine states the hand-set confidences', () => {
    const dir = tempDir();
    cpSync(BUILT_IN_KNOWLEDGE_DIR, dir, { recursive: true });
    rmSync(join(dir, 'calibration.yml'));
    expect(loadKnowledge({ dir }).confidence).toEqual(BUILT_IN_CONFIDENCE);
  });

  test.each([
    ['a confidence above 1', 'documentedCode', '1.5', 'calibration.paths.documentedCode.confidence', /1/],
    ['a confidence of 0', 'noCause', '0', 'calibration.paths.noCause.confidence', /0/],
    [
      'a contested cause stated above one hit',
      'wordingContested',
      '0.99',
      'calibration.paths.wordingContested.confidence',
      /below wordingOneHit/,
    ],
    [
      'two hits stated above three',
      'wordingTwoHits',
      '0.995',
      'calibration.paths.wordingTwoHits.confidence',
      /at most wordingThreeOrMoreHits/,
    ],
  ])('%s is an error naming file, path and problem', (_, path, value, where, problem) => {
    const dir = brokenCopy('calibration.yml', (t) => t.replace(confidenceOf(path), `$1${value}`));
    const e = loadError(() => loadKnowledge({ dir }));
    expect(e.file).toBe(join(dir, 'calibration.yml'));
    expect(e.path).toBe(where);
    expect(e.problem).toMatch(problem);
  });

  test('a missing path, more right than cards, or another split are errors', () => {
    let dir = brokenCopy('calibration.yml', (t) => t.replace(/\n {4}noCause:\n(?: {6}.*\n)+/, '\n'));
    expect(loadError(() => loadKnowledge({ dir })).path).toBe('calibration.paths.noCause');
    dir = brokenCopy('calibration.yml', (t) =>
      t.replace(/(\n {4}noCause:\n(?: {6}.*\n)*? {6}right: )\d+/, '$1999999'),
    );
    const e = loadError(() => loadKnowledge({ dir }));
    expect(e.path).toBe('calibration.paths.noCause.right');
    expect(e.problem).toMatch(/cannot exceed cards/);
    dir = brokenCopy('calibration.yml', (t) => t.replace('measuredOn: tune', 'measuredOn: blind'));
    expect(loadError(() => loadKnowledge({ dir })).path).toBe('calibration.measuredOn');
  });
});
