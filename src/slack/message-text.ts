/**
 * The readable text of a Slack message: its `text`, its blocks (rich_text, section, context, header,
 * markdown) and its attachments (pretext, title, text, fields, fallback, nested blocks). Alert bots often
 * leave `text` empty and put the error in blocks or attachments, so the shortcut and :key: read all of it.
 */

/** The parts of a message this reads; everything is optional and checked at run time. */
export interface MessageLike {
  text?: unknown;
  blocks?: unknown;
  attachments?: unknown;
}

/** Slack truncates messages above 40,000 characters; leave room for blocks and attachments on top. */
export const MAX_TEXT_CHARS = 60_000;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const textOf = (v: unknown): string => (isObj(v) ? str(v.text) : '');

function richElement(el: unknown): string {
  if (!isObj(el)) return '';
  switch (el.type) {
    case 'text':
      return str(el.text);
    case 'link':
      return str(el.text) ? `${str(el.text)} (${str(el.url)})` : str(el.url);
    case 'user':
      return `<@${str(el.user_id)}>`;
    case 'channel':
      return `<#${str(el.channel_id)}>`;
    case 'usergroup':
      return `<!subteam^${str(el.usergroup_id)}>`;
    case 'emoji':
      return `:${str(el.name)}:`;
    case 'broadcast':
      return `@${str(el.range)}`;
    case 'date':
      return str(el.fallback);
    case 'color':
      return str(el.value);
    case 'rich_text_section':
    case 'rich_text_preformatted':
    case 'rich_text_quote':
      return list(el.elements).map(richElement).join('');
    case 'rich_text_list':
      return list(el.elements)
        .map((item) => `• ${richElement(item)}`)
        .join('\n');
    default:
      return '';
  }
}

function blockTexts(blocks: unknown): string[] {
  const out: string[] = [];
  for (const block of list(blocks)) {
    if (!isObj(block)) continue;
    switch (block.type) {
      case 'rich_text':
        out.push(list(block.elements).map(richElement).join('\n'));
        break;
      case 'section':
        out.push(textOf(block.text));
        for (const field of list(block.fields)) out.push(textOf(field));
        break;
      case 'header':
        out.push(textOf(block.text));
        break;
      case 'context':
        for (const el of list(block.elements)) out.push(textOf(el));
        break;
      case 'markdown':
        out.push(str(block.text));
        break;
      default:
        break;
    }
  }
  return out;
}

function attachmentTexts(attachments: unknown): string[] {
  const out: string[] = [];
  for (const a of list(attachments)) {
    if (!isObj(a)) continue;
    const own = [str(a.pretext), str(a.title), str(a.text)];
    for (const field of list(a.fields)) {
      if (isObj(field)) own.push([str(field.title), str(field.value)].filter(Boolean).join(': '));
    }
    own.push(...blockTexts(a.blocks));
    // The fallback is a plain-text summary of the rest: read it when the rest says nothing.
    if (own.every((t) => t.trim() === '')) own.push(str(a.fallback));
    out.push(...own);
  }
  return out;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Everything readable in the message, de-duplicated (text usually repeats the blocks), capped in size. */
export function messageText(message: MessageLike | null | undefined, maxChars = MAX_TEXT_CHARS): string {
  if (!message) return '';
  const parts = [str(message.text), ...blockTexts(message.blocks), ...attachmentTexts(message.attachments)];
  const kept: string[] = [];
  let seen = '';
  let length = 0;
  for (const part of parts) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const flat = squash(trimmed);
    if (seen.includes(flat)) continue;
    kept.push(trimmed);
    seen += `\n${flat}`;
    length += trimmed.length + 1;
    if (length >= maxChars) break;
  }
  const text = kept.join('\n');
  // Cut between code points (not graphemes: this runs on every message and a cut here is rare).
  if (text.length <= maxChars) return text;
  const last = text.charCodeAt(maxChars - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? maxChars - 1 : maxChars);
}
