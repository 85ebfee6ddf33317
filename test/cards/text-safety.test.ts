/**
 * Text the cards build from plain strings (issue 11.7): `&`, `<`, `>` escaped wherever mrkdwn is built
 * from something that is not markup (Slack reads `<…>` as a link, mention or command), and no cut for
 * Block Kit limits ever splits an emoji (a lone surrogate) or a grapheme.
 */
import fc from 'fast-check';
import { renderCard, renderHelpCard } from '../../src/cards';
import { renderHomeView } from '../../src/cards/home';
import {
  renderChannelStats,
  renderNextCause,
  renderOutbreakAlert,
  renderOutbreakPointer,
} from '../../src/cards/insight';
import { truncate } from '../../src/cards/text';
import { ACTION_IDS } from '../../src/cards/types';
import { analyze, loadKnowledge } from '../../src/diagnosis';
import { clipGraphemes, sliceGraphemes } from '../../src/diagnosis/graphemes';
import type { Knowledge } from '../../src/diagnosis/knowledge';
import type { Diagnosis } from '../../src/diagnosis/types';
import type { StoreStats } from '../../src/store/store';

const knowledge = loadKnowledge();

/** Every mrkdwn text object in blocks (nested anywhere). */
function mrkdwnTexts(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) mrkdwnTexts(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
    for (const v of Object.values(o)) mrkdwnTexts(v, out);
  }
  return out;
}

/** Every string anywhere in a value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** Markup the cards write on purpose: links, user/channel mentions, dates. */
const MARKUP = /<(?:https?:\/\/|mailto:|@[UW]|#[CG]|!date\^)[^<>]*>/g;

/** What in a mrkdwn text would be read as markup that the card did not mean. */
function stray(text: string): string[] {
  const rest = text.replace(MARKUP, '').replace(/^>/gm, '');
  const found: string[] = [];
  if (/[<>]/.test(rest)) found.push(`raw < or > in ${JSON.stringify(text.slice(0, 120))}`);
  if (/&(?!amp;|lt;|gt;)/.test(rest)) found.push(`raw & in ${JSON.stringify(text.slice(0, 120))}`);
  return found;
}

/** The knowledge with names that need escaping: a platform and cause titles with & < >. */
function awkwardKnowledge(): Knowledge {
  const causes = new Map(
    [...knowledge.causes].map(([id, c]) => [id, { ...c, title: `${c.title} <b> & co` }] as const),
  );
  const platforms = knowledge.platforms.map((p) => (p.id === 'meta' ? { ...p, name: 'Meta <Ads> & Co' } : p));
  return { ...knowledge, causes, platforms } as Knowledge;
}

const stats = (): StoreStats => ({
  sinceDays: 7,
  since: 0,
  diagnoses: 3,
  tokenErrors: 2,
  byPlatform: [{ platform: 'meta', count: 2 }],
  byCause: [{ cause: 'password_changed', count: 2 }],
  fixRate: [{ cause: 'password_changed', cards: 2, fixed: 1, stillBroken: 1, rate: 0.5 } as never],
  topChannels: [{ channel: 'C0PUBLIC', count: 2 }],
  unresolved: [
    {
      cardKey: 'k',
      channel: 'C0PUBLIC',
      platform: 'meta',
      cause: 'password_changed',
      at: 0,
      lastVoteAt: 0,
      votes: [{ user: 'U1', vote: 'still_broken', at: 0 }],
    } as never,
  ],
});

describe('mrkdwn built from plain strings is escaped', () => {
  test('the help card shows `<error text>` as text, not as markup', () => {
    const texts = mrkdwnTexts(renderHelpCard(knowledge).blocks);
    expect(texts.join('\n')).toContain('/tokenfix &lt;error text&gt;');
    expect(texts.flatMap(stray)).toEqual([]);
  });

  test('every card, alert and view, with names and pasted text full of & < >', () => {
    const k = awkwardKnowledge();
    const pasted =
      'Facebook Ads <script> & co: Error validating access token: the user changed their password <@U123> <!channel> a&b';
    const { diagnosis, excerpt } = analyze(pasted, knowledge);
    const awkward: Diagnosis = {
      ...diagnosis,
      dataSource: 'Display & Video <360>',
      errorCode: '190<460>&',
      evidence: ['<!here> & <b>', ...diagnosis.evidence],
    };
    const notLogin: Diagnosis = { ...awkward, isTokenError: false, cause: null, otherKind: 'rate_limited' };
    const outbreak = {
      platform: 'meta',
      cause: 'password_changed' as const,
      counts: { count: 5, channels: 4, users: 4 } as never,
      windowMinutes: 60,
      minDistinct: 3,
    };
    const messages = [
      renderCard(k, awkward, { excerpt, share: ACTION_IDS.shareInChannel }),
      renderCard(k, { ...awkward, cause: 'unknown' }, { excerpt }),
      renderCard(k, notLogin, { excerpt }),
      renderOutbreakAlert(k, outbreak),
      renderOutbreakPointer(k, 'meta', 'password_changed', 'C0ALERTS'),
      { blocks: [renderNextCause(k, 'two_factor_enabled', 'meta')] },
      renderChannelStats(k, 'C0PUBLIC', stats(), stats(), {
        listenMode: 'reply',
        readBots: false,
      } as never),
      renderHomeView(k, { week: stats(), month: stats(), channelKinds: new Map([['C0PUBLIC', false]]) }),
    ];
    for (const m of messages) expect(mrkdwnTexts(m.blocks).flatMap(stray)).toEqual([]);
  });
});

/** A lone surrogate: half an emoji. */
const wellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

test('any pasted line, data source, code and evidence: nothing in them reads as markup on the card', () => {
  const awkward = fc.string({
    unit: fc.constantFrom('<', '>', '&', '@', '!', '#', '|', 'a', ' ', ':', '*'),
    maxLength: 40,
  });
  const { diagnosis } = analyze('Error validating access token: the user changed their password', knowledge);
  fc.assert(
    fc.property(awkward, awkward, awkward, awkward, (excerpt, source, code, evidence) => {
      const d: Diagnosis = {
        ...diagnosis,
        dataSource: source || null,
        errorCode: code || null,
        evidence: [evidence],
      };
      for (const card of [
        renderCard(knowledge, d, { excerpt, share: ACTION_IDS.shareInChannel }),
        renderCard(knowledge, { ...d, isTokenError: false, cause: null }, { excerpt }),
      ])
        expect(mrkdwnTexts(card.blocks).flatMap(stray)).toEqual([]);
    }),
    { numRuns: 300 },
  );
});

describe('cuts for Block Kit limits never split a character', () => {
  const emoji = fc.constantFrom('🔑', '👍🏽', '👨‍👩‍👧', '🇫🇷', '😀', 'é', '𝔸');

  test('truncate and clipGraphemes: a well-formed prefix within the limit, ending between graphemes', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    fc.assert(
      fc.property(
        fc.array(fc.oneof(emoji, fc.string({ maxLength: 3 })), { maxLength: 40 }),
        fc.nat(60),
        (parts, max) => {
          const s = parts.join('');
          const clipped = clipGraphemes(s, max);
          expect(clipped.length).toBeLessThanOrEqual(max);
          expect(s.startsWith(clipped)).toBe(true);
          expect(wellFormed(clipped) || !wellFormed(s.slice(0, clipped.length))).toBe(true);
          const graphemes = [...segmenter.segment(s)];
          const boundaries = new Set(graphemes.map((g) => g.index).concat(s.length));
          // Between graphemes, unless the first grapheme alone is longer than the room (then between
          // code points).
          if ((graphemes[0]?.segment.length ?? 0) <= max) expect(boundaries.has(clipped.length)).toBe(true);
          const cut = truncate(s, Math.max(1, max));
          expect(cut.length).toBeLessThanOrEqual(Math.max(1, max));
          if (wellFormed(s)) expect(wellFormed(cut)).toBe(true);
          const sliced = sliceGraphemes(s, max, 10);
          if (wellFormed(s)) expect(wellFormed(sliced)).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  test('whatever is pasted, with emoji at the cut points, no rendered string holds a lone surrogate', () => {
    const error = 'Error validating access token: the user changed their password';
    fc.assert(
      fc.property(
        fc.array(emoji, { minLength: 1, maxLength: 300, size: 'max' }),
        fc.nat(250),
        fc.array(emoji, { maxLength: 300, size: 'max' }),
        fc.string({ maxLength: 5 }),
        (before, pad, after, glue) => {
          // One long line: the excerpt is cut around the evidence, at both ends.
          const line = `${before.join(glue)} ${'x'.repeat(pad)} ${error} ${after.join(glue)}`;
          fc.pre(wellFormed(line));
          const { diagnosis, excerpt } = analyze(line, knowledge);
          const card = renderCard(knowledge, diagnosis, {
            excerpt,
            share: ACTION_IDS.shareInChannel,
            cardKey: 'k',
          });
          const bad = strings(card).filter((s) => !wellFormed(s));
          expect(bad).toEqual([]);
          if (excerpt) expect(wellFormed(excerpt)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the cut points by hand: an emoji straddling the end of the quoted line and of the evidence', () => {
    const error = 'Error validating access token: the user changed their password';
    for (let shift = 0; shift < 6; shift++) {
      const line = `${'y'.repeat(shift)}${'😀'.repeat(200)} ${error} ${'😀'.repeat(200)}`;
      const { diagnosis, excerpt } = analyze(line, knowledge);
      expect(excerpt && wellFormed(excerpt)).toBe(true);
      expect(strings(renderCard(knowledge, diagnosis, { excerpt })).every(wellFormed)).toBe(true);
    }
  });
});
