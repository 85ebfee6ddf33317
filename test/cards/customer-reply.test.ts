import {
  CUSTOMER_LANGUAGES,
  customerReply,
  customerReplyMessage,
  decodeReplyTarget,
  encodeReplyTarget,
  guessLanguage,
  languageFromLocale,
  renderReplyModal,
} from '../../src/cards/customer-reply';
import { loadKnowledge } from '../../src/diagnosis/knowledge';
import { CAUSE_IDS } from '../../src/diagnosis/types';
import { blockKitProblems } from '../support/block-kit-limits';

const knowledge = loadKnowledge();
const subjects = [
  { platform: 'meta', dataSource: 'Facebook Ads' },
  { platform: 'google', dataSource: null },
  { platform: null, dataSource: null },
];

describe('customer reply texts', () => {
  describe.each(CUSTOMER_LANGUAGES)('%s', (lang) => {
    test.each(CAUSE_IDS)(
      '%s: filled in, with the guide, nothing internal, within the input limit',
      (cause) => {
        for (const s of subjects) {
          const text = customerReply(knowledge, { ...s, cause }, lang);
          expect(text).not.toMatch(/[{}]/);
          expect(text).toMatch(/https:\/\//);
          // No internal words: cause ids, the engine's confidence, platform ids in code form.
          expect(text).not.toMatch(
            /_(lifetime|inactive|changed|enabled|removed|admin|invalidation|unconfirmed)\b|confidence|\d+%/,
          );
          expect(text.length).toBeLessThanOrEqual(3000);
          // Every paragraph reads as a sentence start or a greeting.
          for (const paragraph of text.split('\n\n').slice(2, 3))
            expect(paragraph.charAt(0)).toMatch(/\p{Lu}/u);
          if (s.platform === 'meta') expect(text).toContain('https://www.facebook.com/help/');
        }
      },
    );

    test('the modal fits Block Kit and preselects the language', () => {
      const target = {
        channel: 'C0123',
        threadTs: '1712345678.000100',
        subject: { platform: 'meta', cause: 'password_changed' as const, dataSource: 'Facebook Ads' },
      };
      const view = renderReplyModal(knowledge, target, lang);
      expect(blockKitProblems(view, 'view')).toEqual([]);
      expect(JSON.stringify(view)).toContain(
        `"initial_option":{"text":{"type":"plain_text","text":"${knowledge.customerReplies[lang].name}"},"value":"${lang}"}`,
      );
      expect(decodeReplyTarget(view.private_metadata)).toEqual(target);
      const message = customerReplyMessage(customerReply(knowledge, target.subject, lang), 'U0AGENT');
      expect(blockKitProblems(message)).toEqual([]);
    });
  });

  test('an unknown platform reads naturally in each language', () => {
    const unknown = { platform: null, dataSource: null, cause: 'token_max_lifetime' as const };
    expect(customerReply(knowledge, unknown, 'en')).toContain('The platform keeps a login valid');
    expect(customerReply(knowledge, unknown, 'de')).toContain('Die Plattform lässt');
    expect(customerReply(knowledge, unknown, 'fi')).toContain('Palvelu pitää');
  });

  test('the target in private_metadata is checked when read back', () => {
    expect(decodeReplyTarget('not json')).toBeNull();
    expect(decodeReplyTarget(JSON.stringify({ c: 'not a channel', t: null, s: {} }))).toBeNull();
    expect(decodeReplyTarget(JSON.stringify({ c: 'C0123', t: 'yesterday', s: {} }))).toBeNull();
    expect(
      decodeReplyTarget(
        encodeReplyTarget({
          channel: 'C0123',
          threadTs: null,
          subject: { platform: null, cause: null, dataSource: null },
        }),
      ),
    ).toEqual({
      channel: 'C0123',
      threadTs: null,
      subject: { platform: null, cause: null, dataSource: null },
    });
  });
});

describe('which language', () => {
  test.each([
    [
      'de',
      'Hallo, seit heute funktioniert die Verbindung nicht mehr, wir bekommen immer wieder diesen Fehler: invalid_grant',
    ],
    [
      'fr',
      'Bonjour, depuis ce matin la connexion ne fonctionne plus et nous avons cette erreur : Session has expired',
    ],
    [
      'es',
      'Hola, desde ayer la conexión no funciona y nos sale este error: The token used in the request has expired',
    ],
    [
      'pt',
      'Olá, desde ontem a conexão não está funcionando e aparece este erro: Error validating access token',
    ],
    ['fi', 'Hei, yhteys ei enää toimi ja saamme taas tämän virheen: AADSTS700082'],
  ])('%s', (lang, text) => {
    expect(guessLanguage(text)).toBe(lang);
  });

  test('English, an error alone, and too little text tell nothing', () => {
    expect(
      guessLanguage('Hi, since yesterday the connection is broken and we get this error: invalid_grant'),
    ).toBeNull();
    expect(guessLanguage('Error validating access token: Session has expired on Monday')).toBeNull();
    expect(guessLanguage('die Verbindung')).toBeNull();
  });

  test('Slack locales', () => {
    expect(languageFromLocale('de-DE')).toBe('de');
    expect(languageFromLocale('pt-BR')).toBe('pt');
    expect(languageFromLocale('ja-JP')).toBeNull();
    expect(languageFromLocale(undefined)).toBeNull();
  });
});
