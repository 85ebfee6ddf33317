/**
 * The redactor's cheap checks were merged for speed (one regex scan for every rule's literal, the long
 * runs measured from one character in 18): redaction is security code, so it must mask every input
 * exactly as before, byte for byte, with the same count. `redact-before.ts` keeps the redactor as it
 * was (359cfdc); this file compares the two on every corpus text, the real channel chat sample, the
 * bench's long inputs, every secret shape at every offset and length around the run checks' bounds,
 * and random strings with and without planted secrets.
 */
import fc from 'fast-check';
import { longInputs } from '../../src/bench/diagnose';
import { redactSecrets } from '../../src/diagnosis/redact';
import { loadCorpus } from '../../src/eval/corpus';
import { channelChat as channelChatTexts } from '../support/corpus';
import { messageWithSecrets, plantedSecret } from '../support/secret-shapes';
import { redactSecrets as redactBefore } from './redact-before';

const same = (text: string) => expect(redactSecrets(text)).toEqual(redactBefore(text));

/** Compares many texts at once, reporting the ones that differ (a readable failure). */
function differing(texts: readonly string[]): string[] {
  return texts.filter((text) => {
    const now = redactSecrets(text);
    const before = redactBefore(text);
    return now.text !== before.text || now.count !== before.count;
  });
}

const CHANNEL_CHAT = channelChatTexts();

/** Secrets whose rules ask for a long run (AWS key ids and secret keys, prefixed keys, long keys). */
const RUN_SHAPES = [
  `AKIA${'A1B2C3D4E5F6G7H8'}`,
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  `ghp_${'aB3dE5gH7jK9mN1p'}`,
  `rk_live_${'a1B2c3D4e5'}`,
  `npm_${'x'.repeat(15)}Z9`,
  `${'a1'.repeat(16)}`,
  `${'Ab9_'.repeat(9)}`,
];

/** What sits around a secret: characters inside and outside the run sets, and none. */
const EDGES = ['', ' ', '.', '/', '=', '-', '_', '+', ':', 'é', '\n', '"', 'x', '9'];

describe('the redactor masks every input as it did before its checks were merged', () => {
  test('every corpus text (tune and blind), the real channel chat sample and the long inputs', () => {
    const texts = [
      ...loadCorpus().map((c) => c.text),
      ...CHANNEL_CHAT,
      ...longInputs().map(([, text]) => text),
    ];
    expect(texts.length).toBeGreaterThan(5000);
    expect(differing(texts)).toEqual([]);
  });

  test('each long-run secret at every offset against the one-in-18 sampling, with every edge', () => {
    const texts: string[] = [];
    for (const secret of RUN_SHAPES) {
      for (let pad = 0; pad <= 40; pad++) {
        for (const edge of EDGES) {
          texts.push(`${' '.repeat(pad)}${edge}${secret}${edge}`);
          texts.push(`${'ab c'.repeat(pad).slice(0, pad)}${edge}${secret}${edge} tail`);
          // A run one character short and one too long, so a check asking for less or more shows.
          texts.push(`${'q'.repeat(pad)}${edge}${secret.slice(1)}${edge}`);
          texts.push(`${'q'.repeat(pad)}${edge}${secret}Z${edge}`);
        }
      }
    }
    // Runs of every length around the checks' bounds (18, 20, 32, 40), made of each run set's characters.
    for (const unit of ['A1', 'a/B+', 'a_b9', 'x-Y_', 'Zz09']) {
      for (let length = 14; length <= 44; length++) {
        const run = unit.repeat(length).slice(0, length);
        for (let pad = 0; pad <= 20; pad++) {
          texts.push(`${'.'.repeat(pad)}${run}`);
          texts.push(`${'k'.repeat(pad)} ${run} ${run}.${run}`);
        }
      }
    }
    expect(differing(texts)).toEqual([]);
  });

  test('every literal a check looks for, alone and in a secret of its shape, at every offset', () => {
    // Each rule's literal with the shortest secret its pattern takes (so a literal the one scan
    // missed shows as a secret left unmasked).
    const secrets: [string, string][] = [
      ['eyJ', 'eyJabcdefgh.abcdefgh.abcdefgh'],
      ['EAA', `EAA${'a1'.repeat(10)}`],
      ['ya29.', `ya29.${'a'.repeat(20)}`],
      ['1//', `1//${'a'.repeat(20)}`],
      ['AIza', `AIza${'a'.repeat(30)}`],
      ['GOCSPX-', `GOCSPX-${'a'.repeat(20)}`],
      ['Atz', `Atza|${'a'.repeat(20)}`],
      ['4/0', `4/0${'a'.repeat(20)}`],
      ['Q~', `abc1Q~${'a'.repeat(31)}`],
      ['xox', `xoxb-${'a'.repeat(10)}`],
      ['xapp-', `xapp-${'a'.repeat(10)}`],
      ['-u', 'curl -u admin:hunter22 https://x'],
    ];
    const texts: string[] = [];
    for (const [literal, secret] of secrets) {
      expect(secret).toContain(literal);
      for (let pad = 0; pad <= 20; pad++) {
        texts.push(
          `${'w '.repeat(pad)}${literal}`,
          `${'w '.repeat(pad)}${secret}`,
          `key=${secret} ${'v'.repeat(pad)}`,
        );
      }
    }
    expect(differing(texts)).toEqual([]);
  });

  test('random strings made of secret fragments and arbitrary characters (property)', () => {
    const fragment = fc.oneof(
      fc.constantFrom(
        'eyJ',
        'EAA',
        'ya29.',
        '1//',
        'AIza',
        'GOCSPX-',
        'Atz',
        'Atzr|',
        '4/0',
        'Q~',
        'xoxb-',
        'xapp-',
        '-u ',
        '--user ',
        'curl ',
        ' \\\n',
        '\\',
        '\\"',
        '\\u003d',
        ':',
        '=',
        '"',
        "'",
        ' ',
        '\n',
        '@',
        'https://',
        '://',
        '-----BEGIN PRIVATE KEY-----\n',
        '-----END',
        'token',
        'password',
        'password is ',
        "password's ",
        'pw: ',
        'pass is ',
        'mysql -u x -p',
        'secret',
        'Authorization: Bearer ',
        'bearer ',
        'Basic ',
        'DB_PASSWORD=',
        'x-api-key: ',
        'private_ke-y_id',
        'AKIA',
        'ghp_',
        'sk_live_',
        'glpat-',
        'npm_',
        '_KEY=',
        'pageToken=',
        'null',
        '…[redacted]',
      ),
      fc.stringMatching(/^[A-Za-z0-9_/+-]{1,45}$/),
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 24 }), (parts) => {
        same(parts.join(''));
      }),
      { numRuns: Number(process.env.REDACT_RUNS ?? 4000) },
    );
  });

  test('real error messages with secrets of every shape planted in them (property)', () => {
    fc.assert(
      fc.property(messageWithSecrets, ({ text }) => same(text)),
      { numRuns: Number(process.env.REDACT_RUNS ?? 1500) },
    );
    fc.assert(
      fc.property(plantedSecret, fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (p, a, b) =>
        same(`${a}${p.text}${b}`),
      ),
      { numRuns: Number(process.env.REDACT_RUNS ?? 1500) },
    );
  });

  test('arbitrary Unicode text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => same(text)),
      { numRuns: Number(process.env.REDACT_RUNS ?? 2000) },
    );
  });
});
