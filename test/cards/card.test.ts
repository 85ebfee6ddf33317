import { ACTION_IDS, decodeShared, encodeShared, renderCard, renderHelpCard } from '../../src/cards';
import { analyze, diagnose, loadKnowledge } from '../../src/diagnosis';
import type { Diagnosis } from '../../src/diagnosis/types';
import { blockKitProblems } from '../support/block-kit-limits';
import { negatives, positives } from '../support/corpus';

const knowledge = loadKnowledge();

function allText(message: { text: string; blocks: unknown[] }): string {
  return JSON.stringify(message);
}

describe('the card', () => {
  const article =
    'Facebook Ads: Error validating access token: the session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.';

  test('says platform and cause in the header, explains, and numbers the fix steps', () => {
    const { diagnosis, excerpt } = analyze(article, knowledge);
    const card = renderCard(knowledge, diagnosis, { excerpt });
    const header = card.blocks[0] as { type: string; text: { text: string } };
    expect(header.type).toBe('header');
    expect(header.text.text).toMatch(/Meta/);
    expect(header.text.text.toLowerCase()).toMatch(/password/);
    const body = allText(card);
    expect(body).toMatch(/1\. .*re-authentication guide/);
    expect(body).toMatch(/2\. Renew the connection/);
    expect(body).toMatch(/3\. .*cache and cookies/);
    for (const b of knowledge.fixes.browsers) expect(body).toContain(b.url);
    expect(body).toContain('Reconnect every connection made with that login');
  });

  test('has a fallback text that names platform, cause and what to do', () => {
    const card = renderCard(knowledge, diagnose(article, knowledge));
    expect(card.text).toMatch(/^🔑 tokenfix · Meta error: the password was changed\. Reconnect Facebook Ads/);
  });

  test('carries the feedback buttons with the contract action ids', () => {
    const card = renderCard(knowledge, diagnose(article, knowledge));
    const ids = JSON.stringify(card.blocks).match(/"action_id":"[a-z_]+"/g);
    expect(ids).toEqual([
      `"action_id":"${ACTION_IDS.fixed}"`,
      `"action_id":"${ACTION_IDS.stillBroken}"`,
      `"action_id":"${ACTION_IDS.replyToCustomer}"`,
    ]);
  });

  test('a share button round-trips the diagnosis without the raw text', () => {
    const { diagnosis, excerpt } = analyze(article, knowledge);
    const card = renderCard(knowledge, diagnosis, { excerpt, share: ACTION_IDS.shareInChannel });
    const actions = card.blocks.filter((b) => b.type === 'actions');
    const share = JSON.parse(JSON.stringify(actions.at(-1))) as {
      elements: { action_id: string; value: string }[];
    };
    expect(share.elements[0]?.action_id).toBe(ACTION_IDS.shareInChannel);
    const decoded = decodeShared(share.elements[0]?.value ?? '');
    expect(decoded?.diagnosis.cause).toBe('password_changed');
    expect(decodeShared('not json')).toBeNull();
  });

  test('the card key is passed in, carried by the feedback buttons and the share button (the renderer stays pure)', () => {
    const { diagnosis, excerpt } = analyze(article, knowledge);
    const card = renderCard(knowledge, diagnosis, {
      excerpt,
      share: ACTION_IDS.shareInChannel,
      cardKey: 'C0123:1712345678.000100',
    });
    const values = (
      JSON.parse(JSON.stringify(card.blocks)) as { elements?: { action_id: string; value: string }[] }[]
    )
      .flatMap((b) => b.elements ?? [])
      .filter((e) => typeof e.action_id === 'string')
      .map((e) => [e.action_id, e.value] as const);
    expect(values.map(([id]) => id)).toEqual([
      ACTION_IDS.fixed,
      ACTION_IDS.stillBroken,
      ACTION_IDS.replyToCustomer,
      ACTION_IDS.shareInChannel,
    ]);
    for (const [id, value] of values.filter(
      ([id]) => id === ACTION_IDS.fixed || id === ACTION_IDS.stillBroken,
    )) {
      expect({ id, ref: JSON.parse(value) }).toMatchObject({
        id,
        ref: { key: 'C0123:1712345678.000100', platform: 'meta', cause: 'password_changed' },
      });
    }
    const share = values.find(([id]) => id === ACTION_IDS.shareInChannel)?.[1] ?? '';
    expect(decodeShared(share)?.key).toBe('C0123:1712345678.000100');
    // Same input, same card; and without a key the buttons say so.
    expect(
      renderCard(knowledge, diagnosis, {
        excerpt,
        share: ACTION_IDS.shareInChannel,
        cardKey: 'C0123:1712345678.000100',
      }),
    ).toEqual(card);
    expect(JSON.stringify(renderCard(knowledge, diagnosis).blocks)).toContain('\\"key\\":null');
  });

  test('lists alternatives, most common first, when the cause is unknown', () => {
    const card = renderCard(
      knowledge,
      diagnose('Error: Account fetch failed: [Data source] failure (Refreshing token failed)', knowledge),
    );
    const body = allText(card);
    expect(body).toContain('Most likely causes, most common first');
    expect(body.indexOf('time limit')).toBeLessThan(body.indexOf('disuse'));
  });

  test('a text that is not a login problem gets the short card saying what it is instead', () => {
    const d = diagnose('(#17) User request limit reached', knowledge);
    expect(d.isTokenError).toBe(false);
    const card = renderCard(knowledge, d);
    expect(card.text).toMatch(/Not a login problem: too many requests/i);
    expect(card.blocks.length).toBeLessThanOrEqual(3);
  });

  test('a login error the learned model withdrew says the words read like one, and shows them', () => {
    // As withSecondOpinion leaves it (src/diagnosis/second-opinion.ts): not a login error, no other kind,
    // the wording that matched kept.
    const { diagnosis: rules, excerpt } = analyze(
      'Our Google Ads refresh token expired yesterday',
      knowledge,
    );
    expect(rules.isTokenError).toBe(true);
    const withdrawn: Diagnosis = {
      ...rules,
      isTokenError: false,
      cause: null,
      confidence: 0,
      alternatives: [],
    };
    const card = renderCard(knowledge, withdrawn, { excerpt });
    const body = allText(card);
    expect(card.text).toMatch(/probably isn't a login \(token\) error \(the learned model's reading\)/);
    expect(body).toMatch(/Some of its words read like one/);
    expect(body).not.toMatch(/I found no sign/);
    expect(body).toContain(`“${rules.evidence[0]}”`);
    // Without evidence, the plain card, which says nothing matched.
    expect(allText(renderCard(knowledge, { ...withdrawn, evidence: [] }))).toMatch(/I found no sign/);
  });

  test('a setup error while connecting is told as one: check the app settings and the key, then connect again', () => {
    // Google's OAuth error page for a redirect address the app doesn't list (its documented error name).
    const d = diagnose('Error 400: redirect_uri_mismatch', knowledge);
    expect(d.otherKind).toBe('invalid_request');
    const body = allText(renderCard(knowledge, d));
    expect(body).toMatch(/while connecting/);
    expect(body).toMatch(/check the app's settings and the key or secret as entered, then connect again/);
  });

  test('the help card explains the five ways in', () => {
    const card = renderHelpCard(knowledge);
    const body = allText(card);
    for (const way of ['/tokenfix', 'Mention', 'Diagnose token error', ':key:', 'by myself'])
      expect(body).toContain(way);
    expect(blockKitProblems(card)).toEqual([]);
  });

  test('a 40,000-character paste is shown trimmed to its decisive line', () => {
    const noise = 'INFO sync step completed without problems\n'.repeat(900);
    const text =
      `${noise}ERROR 2024-05-01 job failed: Error validating access token: Session has expired on Friday\n${noise}`.slice(
        0,
        40_000,
      );
    const { diagnosis, excerpt } = analyze(text, knowledge);
    expect(diagnosis.isTokenError).toBe(true);
    expect(excerpt).toMatch(/Error validating access token/);
    expect((excerpt ?? '').length).toBeLessThanOrEqual(300);
    expect(blockKitProblems(renderCard(knowledge, diagnosis, { excerpt }))).toEqual([]);
  });

  test('text from the paste is escaped so it cannot inject links or mentions', () => {
    const { diagnosis, excerpt } = analyze(
      'invalid_grant <!channel> &lt;https://evil.example|click&gt;',
      knowledge,
    );
    const body = allText(renderCard(knowledge, diagnosis, { excerpt }));
    expect(body).not.toContain('<!channel>');
    expect(body).not.toContain('<https://evil.example');
  });
});

describe('every corpus message renders within Block Kit limits', () => {
  const messages = [...positives(), ...negatives()];
  test.each(messages.map((m) => [m.id, m.text] as const))('%s', (_id, text) => {
    const { diagnosis, excerpt } = analyze(text, knowledge);
    for (const share of [undefined, ACTION_IDS.shareInChannel, ACTION_IDS.replyInThread] as const) {
      const card = renderCard(knowledge, diagnosis, { excerpt, share, sharedBy: 'U0123456789' });
      expect(blockKitProblems(card)).toEqual([]);
    }
  });

  test('an extreme diagnosis (long names, every alternative, many secrets) still fits', () => {
    const d: Diagnosis = {
      isTokenError: true,
      platform: 'meta',
      dataSource: 'x'.repeat(500),
      cause: 'token_max_lifetime',
      confidence: 0.4,
      alternatives: ['refresh_token_inactive', 'password_changed', 'two_factor_enabled'].map((c) => ({
        cause: c as never,
        confidence: 0.1,
      })),
      errorCode: '9'.repeat(300),
      evidence: Array.from({ length: 6 }, () => 'e'.repeat(100)),
      secretsRedacted: 99,
      otherKind: null,
    };
    const card = renderCard(knowledge, d, { excerpt: 'y'.repeat(5000), share: ACTION_IDS.replyInThread });
    expect(blockKitProblems(card)).toEqual([]);
    expect(encodeShared(d, 'z'.repeat(5000)).length).toBeLessThanOrEqual(2000);
  });
});
