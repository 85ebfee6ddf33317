/**
 * "Reply to customer": the card's diagnosis, rewritten for the customer — plain, friendly, in their
 * language, with the fix steps and links, and nothing internal (no codes, ids or confidence). Pure:
 * the texts come from knowledge/customer-replies.yml; the modal that shows them is built here too.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Knowledge } from '../diagnosis/knowledge';
import { CUSTOMER_LANGUAGES, type CustomerLanguage } from '../diagnosis/knowledge-schema';
import type { CauseId, Diagnosis } from '../diagnosis/types';
import { platformInfo, reauthGuide } from './card';
import { escapeMrkdwn, fill, truncate } from './text';
import { ACTION_IDS, BLOCK_IDS } from './types';

export { CUSTOMER_LANGUAGES, type CustomerLanguage };

/** What the reply needs of a diagnosis: the card's button carries exactly this. */
export type ReplySubject = Pick<Diagnosis, 'platform' | 'cause' | 'dataSource'>;

/** Slack's plain_text_input holds at most 3,000 characters. */
export const MAX_REPLY_CHARS = 3000;

export const isCustomerLanguage = (v: unknown): v is CustomerLanguage =>
  typeof v === 'string' && (CUSTOMER_LANGUAGES as readonly string[]).includes(v);

const capitalise = (s: string): string => s.charAt(0).toLocaleUpperCase() + s.slice(1);

/** The customer-facing text, ready to edit and send. */
export function customerReply(knowledge: Knowledge, subject: ReplySubject, lang: CustomerLanguage): string {
  const t = knowledge.customerReplies[lang];
  const platform = platformInfo(knowledge, subject.platform);
  const cause: CauseId = subject.cause ?? 'unknown';
  const guide = reauthGuide(knowledge, { ...subject, cause } as Diagnosis, platform);
  const values = {
    platform: platform?.name ?? t.platformFallback,
    dataSource: subject.dataSource ?? platform?.name ?? t.dataSourceFallback,
    reauthGuide: guide ?? '',
    browsers: knowledge.fixes.browsers.map((b) => `${b.name}: ${b.url}`).join(' · '),
  };
  const text = (s: string) => fill(s.replace(/\s+/g, ' ').trim(), values);
  const steps = t.steps.map((step, i) => `${i + 1}. ${text(step)}`);
  return truncate(
    [t.greeting, text(t.intro), capitalise(text(t.causes[cause])), steps.join('\n'), text(t.closing)].join(
      '\n\n',
    ),
    MAX_REPLY_CHARS,
  );
}

/** Slack locales ("de-DE", "pt-BR", "fi-FI") → a language we write in, or null. */
export function languageFromLocale(locale: unknown): CustomerLanguage | null {
  if (typeof locale !== 'string') return null;
  const lang = locale.slice(0, 2).toLowerCase();
  return isCustomerLanguage(lang) ? lang : null;
}

/**
 * Common short words of each language, for telling what language a customer wrote in. Only the
 * languages we answer in; English words are left out so that an English error quoted inside a
 * German message still reads as German.
 */
const FUNCTION_WORDS: Record<Exclude<CustomerLanguage, 'en'>, readonly string[]> = {
  de: [
    'der',
    'die',
    'das',
    'und',
    'nicht',
    'ist',
    'ich',
    'wir',
    'mit',
    'bei',
    'seit',
    'wieder',
    'auch',
    'eine',
    'funktioniert',
    'fehler',
    'verbindung',
    'bitte',
    'können',
    'unsere',
    'keine',
    'werden',
    'haben',
  ],
  fr: [
    'le',
    'les',
    'est',
    'pas',
    'je',
    'nous',
    'avec',
    'une',
    'des',
    'pour',
    'depuis',
    'erreur',
    'connexion',
    'fonctionne',
    'plus',
    'mais',
    'notre',
    'vous',
    'sur',
    'avons',
    'aujourd',
  ],
  es: [
    'el',
    'los',
    'las',
    'es',
    'que',
    'con',
    'una',
    'por',
    'desde',
    'pero',
    'error',
    'conexión',
    'funciona',
    'nuestra',
    'nuestro',
    'tenemos',
    'usted',
    'hola',
    'gracias',
    'ya',
    'más',
  ],
  pt: [
    'os',
    'não',
    'que',
    'com',
    'uma',
    'por',
    'desde',
    'mas',
    'erro',
    'conexão',
    'está',
    'você',
    'nossa',
    'nosso',
    'temos',
    'obrigado',
    'olá',
    'também',
    'mais',
    'já',
  ],
  fi: [
    'ja',
    'ei',
    'on',
    'se',
    'että',
    'virhe',
    'yhteys',
    'kanssa',
    'toimi',
    'meidän',
    'nyt',
    'taas',
    'enää',
    'mutta',
    'kun',
    'tämä',
    'olemme',
    'kiitos',
    'hei',
    'vielä',
  ],
};

/** The language a message is written in, when it is clearly one of ours other than English; else null. */
export function guessLanguage(text: string): CustomerLanguage | null {
  const words = text.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  if (words.length < 4) return null;
  let best: CustomerLanguage | null = null;
  let bestHits = 0;
  let second = 0;
  for (const [lang, list] of Object.entries(FUNCTION_WORDS) as [CustomerLanguage, readonly string[]][]) {
    const set = new Set(list);
    const hits = words.filter((w) => set.has(w)).length;
    if (hits > bestHits) {
      second = bestHits;
      bestHits = hits;
      best = lang;
    } else if (hits > second) second = hits;
  }
  // At least three of its words, and clearly ahead of the next language (Spanish and Portuguese share many).
  return bestHits >= 3 && bestHits >= second * 2 ? best : null;
}

/** The modal's ids: its callback, and the blocks and elements whose values the submission reads. */
export const REPLY_MODAL = {
  callbackId: 'customer_reply',
  languageBlock: 'customer_reply_language',
  textBlock: 'customer_reply_text',
  textInput: 'text',
} as const;

/** Where the reply goes and what it is about: the modal's private_metadata. */
export interface ReplyTarget {
  channel: string;
  /** The customer's thread; null posts at the top of the channel (a slash command's card has no thread). */
  threadTs: string | null;
  subject: ReplySubject;
}

export function encodeReplyTarget(target: ReplyTarget): string {
  return JSON.stringify({ c: target.channel, t: target.threadTs, s: target.subject });
}

export function decodeReplyTarget(raw: unknown): ReplyTarget | null {
  if (typeof raw !== 'string' || raw.length > 3000) return null;
  try {
    const p = JSON.parse(raw) as { c?: unknown; t?: unknown; s?: Partial<ReplySubject> };
    if (typeof p.c !== 'string' || !/^[CDG][A-Z0-9]{2,30}$/.test(p.c)) return null;
    if (p.t !== null && (typeof p.t !== 'string' || !/^\d{1,12}\.\d{1,8}$/.test(p.t))) return null;
    const s = p.s ?? {};
    const word = (v: unknown) => (typeof v === 'string' && v.length <= 100 ? v : null);
    return {
      channel: p.c,
      threadTs: p.t,
      subject: {
        platform: word(s.platform),
        cause: word(s.cause) as CauseId | null,
        dataSource: word(s.dataSource),
      },
    };
  } catch {
    return null;
  }
}

/** The modal: a language menu (changing it rewrites the text) and the editable reply. */
export function renderReplyModal(
  knowledge: Knowledge,
  target: ReplyTarget,
  lang: CustomerLanguage,
  text = customerReply(knowledge, target.subject, lang),
): ModalView {
  const option = (l: CustomerLanguage) => ({
    text: { type: 'plain_text' as const, text: knowledge.customerReplies[l].name },
    value: l,
  });
  const where = target.threadTs ? `the thread in <#${target.channel}>` : `<#${target.channel}>`;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: REPLY_MODAL.languageBlock,
      text: { type: 'mrkdwn', text: '*Language*' },
      accessory: {
        type: 'static_select',
        action_id: ACTION_IDS.replyLanguage,
        initial_option: option(lang),
        options: CUSTOMER_LANGUAGES.map(option),
      },
    },
    {
      type: 'input',
      // A new block_id per language, so Slack shows the rewritten text instead of keeping what was typed.
      block_id: `${REPLY_MODAL.textBlock}_${lang}`,
      label: { type: 'plain_text', text: 'Reply (edit before sending)' },
      element: {
        type: 'plain_text_input',
        action_id: REPLY_MODAL.textInput,
        multiline: true,
        max_length: MAX_REPLY_CHARS,
        initial_value: text,
      },
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Posted as tokenfix in ${where}, with your name on it.` }],
    },
  ];
  return {
    type: 'modal',
    callback_id: REPLY_MODAL.callbackId,
    private_metadata: encodeReplyTarget(target),
    title: { type: 'plain_text', text: 'Reply to customer' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

/** The message posted for the customer: the agent's text, credited to them. */
export function customerReplyMessage(text: string, agent: string): { text: string; blocks: KnownBlock[] } {
  const body = truncate(text.trim(), MAX_REPLY_CHARS);
  return {
    // The top-level text is read as mrkdwn (notifications, clients without blocks): what the agent typed
    // goes out escaped, so a typed `<!channel>`, `<@U…>` or `<url|label>` is text, as in the block.
    text: escapeMrkdwn(body),
    blocks: [
      // tokenfix_ block ids: another app re-posting this reply is not taken for a new error.
      {
        type: 'section',
        block_id: BLOCK_IDS.customerReply,
        text: { type: 'plain_text', text: body, emoji: true },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Sent by <@${agent}>` }] },
    ],
  };
}
