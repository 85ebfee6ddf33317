import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { Knowledge } from '../diagnosis/knowledge';
import type { PlatformInfo } from '../diagnosis/knowledge-schema';
import { CAUSE_IDS, type CauseId, type Diagnosis } from '../diagnosis/types';
import { offersReminder } from './reminder';
import { escapeMrkdwn, fill, percent, truncate } from './text';
import { ACTION_IDS, BLOCK_IDS, markFallback, type SlackMessage } from './types';

/** Block Kit limits we render within (docs: header 150, section 3,000, context element 2,000, button text 75). */
const LIMITS = { header: 150, section: 3000, context: 2000, buttonValue: 2000, excerpt: 300 } as const;

/**
 * A private card's feedback buttons carry its diagnosis too (Slack sends an ephemeral card's blocks
 * back with no click, so "Fixed it" re-renders it from the button): smaller than a button allows, so
 * three such buttons keep the card well under Slack's size for blocks.
 */
const PRIVATE_FEEDBACK_VALUE = 1_400;

export interface CardOptions {
  /** The decisive line of what was pasted (already redacted), quoted on the card. */
  excerpt?: string | null;
  /** Adds a button that makes a private card public. */
  share?: typeof ACTION_IDS.shareInChannel | typeof ACTION_IDS.replyInThread;
  /** Slack user id of whoever shared the card, credited on the public copy. */
  sharedBy?: string;
  /** Where a "Reply in thread" card goes: Slack doesn't say where a private card came from. */
  target?: ShareTarget;
  /** Feedback buttons (default on). */
  feedback?: boolean;
  /** The id the store knows this card's diagnosis by; carried in the feedback buttons so votes count. */
  cardKey?: string | null;
  /** The language the customer wrote in, when it could be told: preselected in "Reply to customer". */
  customerLanguage?: string | null;
}

export function platformInfo(knowledge: Knowledge, id: string | null): PlatformInfo | undefined {
  return id ? knowledge.platforms.find((p) => p.id === id) : undefined;
}

/** The page to re-authenticate on: the data source's own guide, the platform's, or the generic one. */
export function reauthGuide(
  knowledge: Knowledge,
  d: Diagnosis,
  platform: PlatformInfo | undefined,
): string | undefined {
  const source = platform?.dataSources.find((s) => s.name === d.dataSource);
  return source?.reauthGuide ?? platform?.reauthGuide ?? knowledge.fixes.defaultReauthGuide;
}

function causeTitle(knowledge: Knowledge, cause: CauseId): string {
  return knowledge.causes.get(cause)?.title ?? cause;
}

export interface ShareTarget {
  channel: string;
  /** The message to answer in the thread of (its thread_ts if it is itself a reply). */
  threadTs: string;
}

/** What goes in a feedback button's value: enough for the vote and for "Still broken" to offer the next cause. */
export interface CardRef {
  platform: string | null;
  cause: CauseId | null;
  next: CauseId[];
  code: string | null;
  /** The card's key in the store (votes are recorded against it); null when the card was not recorded. */
  key: string | null;
}

export function cardRef(d: Diagnosis, key: string | null = null): CardRef {
  return {
    platform: d.platform,
    cause: d.cause,
    next: d.alternatives.map((a) => a.cause),
    code: d.errorCode,
    key,
  };
}

function section(text: string, blockId?: string): SectionBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'mrkdwn', text: truncate(text, LIMITS.section) },
  };
}

function context(lines: string[]): ContextBlock {
  return {
    type: 'context',
    elements: lines.slice(0, 10).map((t) => ({ type: 'mrkdwn' as const, text: truncate(t, LIMITS.context) })),
  };
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(text, 75), emoji: true },
    value: truncate(value, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

function quote(excerpt: string): string {
  return `>${escapeMrkdwn(truncate(excerpt.replace(/\s+/g, ' ').trim(), LIMITS.excerpt))}`;
}

/** The quoted line, said to come from a screenshot when OCR read it, so an agent knows to double-check it. */
function quotedInput(d: Diagnosis, excerpt: string | null | undefined): SectionBlock | null {
  const fromImage = d.source === 'image' ? ':frame_with_picture: *Read from a screenshot*' : null;
  if (!excerpt) return fromImage ? section(fromImage) : null;
  return section(fromImage ? `${fromImage}\n${quote(excerpt)}` : quote(excerpt));
}

/** The common fix, numbered, with the guide and the browsers' cache-and-cookies pages. */
export function fixSteps(knowledge: Knowledge, d: Diagnosis, platform: PlatformInfo | undefined): string {
  const guide = reauthGuide(knowledge, d, platform);
  const name = escapeMrkdwn(d.dataSource ?? platform?.name ?? 'the data source');
  const browsers = knowledge.fixes.browsers.map((b) => `<${b.url}|${b.name}>`).join(' · ');
  const lines = knowledge.fixes.steps.map((step, i) => {
    let text = step.text.trim();
    if (!guide) text = text.replace(/<\{reauthGuide\}\|([^<>]*)>/g, '$1');
    text = fill(text, { reauthGuide: guide ?? '', platform: name });
    if (step.id === 'clear_browser') text = `${text} ${browsers}`;
    return `${i + 1}. ${text}`;
  });
  return `*How to fix it*\n${lines.join('\n')}`;
}

/** Traps that the text shows (pattern) or that bite where the diagnosis landed (when). */
export function applicableTraps(
  knowledge: Knowledge,
  d: Diagnosis,
  text: string,
): Knowledge['fixes']['traps'] {
  return knowledge.fixes.traps.filter((trap) => {
    if (trap.pattern && new RegExp(trap.pattern, 'i').test(text)) return true;
    return (trap.when ?? []).some(
      (w) =>
        (w.platform === undefined || w.platform === d.platform) &&
        (w.cause === undefined || w.cause === d.cause),
    );
  });
}

function lifetimeNote(d: Diagnosis, platform: PlatformInfo | undefined): string | null {
  if (!platform || (d.cause !== 'token_max_lifetime' && d.cause !== 'refresh_token_inactive')) return null;
  const relevant = platform.lifetimes.filter((l) => l.cause === d.cause);
  if (relevant.length === 0) return null;
  const items = relevant
    .slice(0, 3)
    .map((l) => `• *${escapeMrkdwn(l.lasts)}*: ${escapeMrkdwn(l.token)} (<${l.source}|source>)`);
  return `*How long ${escapeMrkdwn(platform.name)} allows:*\n${items.join('\n')}`;
}

function platformLinks(d: Diagnosis, platform: PlatformInfo | undefined): string | null {
  if (d.cause === 'app_access_removed' && platform?.appSettingsUrl) {
    return `<${platform.appSettingsUrl}|See the apps connected to your ${escapeMrkdwn(platform.name)} account>`;
  }
  if (d.cause === 'security_invalidation' && platform?.statusPage) {
    return `<${platform.statusPage}|Check ${escapeMrkdwn(platform.name)}'s status page>`;
  }
  return null;
}

/** What a private card is drawn from again: the share button it has, what it quotes, where it goes. */
interface PrivateCard {
  share: NonNullable<CardOptions['share']>;
  excerpt: string | null | undefined;
  target: ShareTarget | undefined;
}

function feedbackActions(d: Diagnosis, key: string | null, privateCard: PrivateCard | null): ActionsBlock {
  const ref = cardRef(d, key);
  const value = privateCard
    ? encodeShared(d, privateCard.excerpt, privateCard.target, key, {
        extra: { ...ref, s: privateCard.share },
        max: PRIVATE_FEEDBACK_VALUE,
      })
    : JSON.stringify(ref);
  return {
    type: 'actions',
    block_id: BLOCK_IDS.feedback,
    elements: [
      button('✅ Fixed it', ACTION_IDS.fixed, value, 'primary'),
      button('Still broken', ACTION_IDS.stillBroken, value),
    ],
  };
}

function shareActions(
  kind: NonNullable<CardOptions['share']>,
  d: Diagnosis,
  excerpt: string | null | undefined,
  target: ShareTarget | undefined,
  key: string | null,
): ActionsBlock {
  const label = kind === ACTION_IDS.shareInChannel ? 'Share in channel' : 'Reply in thread';
  return {
    type: 'actions',
    block_id: BLOCK_IDS.share,
    elements: [button(label, kind, encodeShared(d, excerpt, target, key))],
  };
}

/**
 * What an agent does next for the customer. The button carries what the customer reply is written
 * from (platform, cause, product, language; never text) and, for a private shortcut card, where the
 * customer's message is.
 */
function customerActions(knowledge: Knowledge, d: Diagnosis, options: CardOptions): ActionsBlock {
  const value = JSON.stringify({
    p: d.platform,
    c: d.cause,
    s: d.dataSource ? truncate(d.dataSource, 100) : null,
    l: options.customerLanguage ?? null,
    ...(options.target ? { t: { c: options.target.channel, ts: options.target.threadTs } } : {}),
  });
  return {
    type: 'actions',
    block_id: BLOCK_IDS.customer,
    elements: [
      button('Reply to customer', ACTION_IDS.replyToCustomer, value),
      ...(offersReminder(knowledge, d)
        ? [
            button(
              '⏰ Remind me before it expires',
              ACTION_IDS.remindBeforeExpiry,
              JSON.stringify({ p: d.platform }),
            ),
          ]
        : []),
    ],
  };
}

/** The "Reply to customer" button's value, read back; null when it isn't one of ours. */
export function decodeCustomerButton(value: unknown): {
  subject: Pick<Diagnosis, 'platform' | 'cause' | 'dataSource'>;
  language: string | null;
  target: ShareTarget | null;
} | null {
  if (typeof value !== 'string' || value.length > 2000) return null;
  try {
    const v = JSON.parse(value) as {
      p?: unknown;
      c?: unknown;
      s?: unknown;
      l?: unknown;
      t?: { c?: unknown; ts?: unknown };
    };
    const word = (x: unknown) => (typeof x === 'string' && x.length <= 100 ? x : null);
    const cause = word(v.c);
    const target =
      v.t && typeof v.t.c === 'string' && typeof v.t.ts === 'string'
        ? { channel: v.t.c, threadTs: v.t.ts }
        : null;
    return {
      subject: {
        platform: word(v.p),
        cause: cause && (CAUSE_IDS as readonly string[]).includes(cause) ? (cause as CauseId) : null,
        dataSource: word(v.s),
      },
      language: word(v.l),
      target,
    };
  } catch {
    return null;
  }
}

/**
 * A private card's share button carries the diagnosis (already redacted) so the public copy needs no
 * text, and the card's key so votes on the public copy count for the same diagnosis.
 */
export function encodeShared(
  d: Diagnosis,
  excerpt?: string | null,
  target?: ShareTarget,
  key?: string | null,
  /** Other fields carried alongside (a feedback button's CardRef); `max`: the room (a button's by default). */
  { extra = {}, max = LIMITS.buttonValue }: { extra?: Record<string, unknown>; max?: number } = {},
): string {
  const t = target ? { c: target.channel, ts: target.threadTs } : undefined;
  const k = key ?? undefined;
  // Drop the least useful parts first until the value fits.
  const tries = [
    {
      ...extra,
      d: { ...d, evidence: d.evidence.slice(0, 3) },
      x: excerpt ? truncate(excerpt, 200) : null,
      t,
      k,
    },
    { ...extra, d: { ...d, evidence: d.evidence.slice(0, 3) }, x: null, t, k },
    { ...extra, d: { ...d, evidence: [] }, x: null, t, k },
    // Last: shorten what the text named (a product, a code) to what a card shows of them anyway.
    {
      ...extra,
      d: {
        ...d,
        evidence: [],
        dataSource: d.dataSource ? truncate(d.dataSource, 80) : null,
        errorCode: d.errorCode ? truncate(d.errorCode, 40) : null,
      },
      x: null,
      t,
      k,
    },
  ];
  for (const attempt of tries) {
    const json = JSON.stringify(attempt);
    if (json.length <= max) return json;
  }
  return JSON.stringify(tries[3]);
}

/** The private card a feedback button was clicked on, to draw it again; null on public cards' buttons. */
export function decodePrivateCard(
  value: string | undefined,
): (NonNullable<ReturnType<typeof decodeShared>> & { share: NonNullable<CardOptions['share']> }) | null {
  const shared = value ? decodeShared(value) : null;
  if (!shared) return null;
  const share = (JSON.parse(value as string) as { s?: unknown }).s;
  if (share !== ACTION_IDS.shareInChannel && share !== ACTION_IDS.replyInThread) return null;
  return { ...shared, share };
}

export function decodeShared(
  value: string,
): { diagnosis: Diagnosis; excerpt: string | null; target: ShareTarget | null; key: string | null } | null {
  try {
    const parsed = JSON.parse(value) as {
      d?: Diagnosis;
      x?: string | null;
      t?: { c?: unknown; ts?: unknown };
      k?: unknown;
    };
    if (!parsed.d || typeof parsed.d.isTokenError !== 'boolean') return null;
    const t = parsed.t;
    return {
      diagnosis: parsed.d,
      excerpt: typeof parsed.x === 'string' ? parsed.x : null,
      target: typeof t?.c === 'string' && typeof t.ts === 'string' ? { channel: t.c, threadTs: t.ts } : null,
      key: typeof parsed.k === 'string' ? parsed.k : null,
    };
  } catch {
    return null;
  }
}

function headerText(
  knowledge: Knowledge,
  d: Diagnosis,
  platform: PlatformInfo | undefined,
  sure: boolean,
): string {
  const where = platform ? `${platform.name} login` : 'Login';
  const title = causeTitle(knowledge, d.cause ?? 'unknown');
  if (d.cause === 'unknown') return `🔑 ${where} error: reconnect needed`;
  return `🔑 ${where}: ${sure ? '' : 'probably '}${title.charAt(0).toLowerCase()}${title.slice(1)}`;
}

/** The card for a login/token error. Pure: Diagnosis in, message out. */
export function renderDiagnosisCard(
  knowledge: Knowledge,
  d: Diagnosis,
  options: CardOptions = {},
): SlackMessage {
  if (!d.isTokenError) return renderNotLoginCard(knowledge, d, options);
  const platform = platformInfo(knowledge, d.platform);
  const cause = knowledge.causes.get(d.cause ?? 'unknown');
  const sure = d.cause !== 'unknown' && d.confidence >= knowledge.settings.sureConfidence;
  // Filled into mrkdwn below.
  const name = escapeMrkdwn(platform?.name ?? 'the platform');
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: BLOCK_IDS.card,
      text: {
        type: 'plain_text',
        text: truncate(headerText(knowledge, d, platform, sure), LIMITS.header),
        emoji: true,
      },
    },
  ];
  const quoted = quotedInput(d, options.excerpt);
  if (quoted) blocks.push(quoted);

  const why = [
    `*Why:* ${fill(cause?.explanation.trim() ?? '', { platform: name })}`,
    `*What to do:* ${fill(cause?.advice.trim() ?? '', { platform: name })}`,
  ];
  const lifetime = lifetimeNote(d, platform);
  if (lifetime) why.push(lifetime);
  const link = platformLinks(d, platform);
  if (link) why.push(link);
  blocks.push(section(why.join('\n')));
  blocks.push(section(fixSteps(knowledge, d, platform)));

  const traps = applicableTraps(knowledge, d, `${options.excerpt ?? ''}\n${d.evidence.join('\n')}`);
  if (traps.length > 0) {
    blocks.push(
      section(traps.map((t) => `:warning: *${escapeMrkdwn(t.title)}:* ${t.fix.trim()}`).join('\n')),
    );
  }

  if (d.alternatives.length > 0 && (!sure || d.cause === 'unknown')) {
    const label = d.cause === 'unknown' ? '*Most likely causes, most common first:*' : '*Could also be:*';
    const items = d.alternatives.map((a) => `• ${escapeMrkdwn(causeTitle(knowledge, a.cause))}`);
    blocks.push(section(`${label}\n${items.join('\n')}`));
  }

  blocks.push(context(contextLines(knowledge, d, platform, options)));
  const privateCard = options.share
    ? { share: options.share, excerpt: options.excerpt, target: options.target }
    : null;
  if (options.feedback !== false) blocks.push(feedbackActions(d, options.cardKey ?? null, privateCard));
  blocks.push(customerActions(knowledge, d, options));
  if (options.share)
    blocks.push(shareActions(options.share, d, options.excerpt, options.target, options.cardKey ?? null));
  return { text: fallbackText(knowledge, d, platform), blocks };
}

function contextLines(
  knowledge: Knowledge,
  d: Diagnosis,
  platform: PlatformInfo | undefined,
  options: CardOptions,
): string[] {
  const facts = [
    `Platform: *${escapeMrkdwn(platform?.name ?? 'not sure')}*`,
    ...(d.dataSource ? [`Data source: *${escapeMrkdwn(d.dataSource)}*`] : []),
    ...(d.errorCode ? [`Code: \`${escapeMrkdwn(d.errorCode)}\``] : []),
    ...(d.isTokenError ? [`Confidence: ${percent(d.confidence)}`] : []),
  ];
  const lines = [facts.join('  ·  ')];
  if (d.evidence.length > 0) {
    lines.push(
      `Evidence: ${d.evidence
        .slice(0, 4)
        .map((e) => `“${escapeMrkdwn(e)}”`)
        .join(', ')}`,
    );
  } else if (d.isTokenError) {
    // Only the learned model calls a login error with no evidence (an explicit ask the rules were silent on).
    lines.push('No known code or wording matched: this is the learned model’s reading, so double-check it.');
  }
  if (d.secretsRedacted > 0) {
    lines.push(
      `:lock: ${d.secretsRedacted} secret${d.secretsRedacted === 1 ? ' was' : 's were'} masked in what was pasted.`,
    );
  }
  if (options.sharedBy) lines.push(`Shared by <@${options.sharedBy}>`);
  void knowledge;
  return lines;
}

/** Reads well in a notification and to a screen reader: platform, cause and the one thing to do. */
function fallbackText(knowledge: Knowledge, d: Diagnosis, platform: PlatformInfo | undefined): string {
  const what = d.dataSource ?? platform?.name ?? 'the data source';
  if (d.cause === 'unknown' || !d.cause)
    return markFallback(`Login error on ${platform?.name ?? 'a data source'}: reconnect ${what} to fix it.`);
  return markFallback(
    `${platform?.name ?? 'Login'} error: ${causeTitle(knowledge, d.cause).toLowerCase()}. Reconnect ${what} to fix it.`,
  );
}

/** For an explicit request whose text is not a login problem: say so, and what it is instead. */
export function renderNotLoginCard(
  knowledge: Knowledge,
  d: Diagnosis,
  options: CardOptions = {},
): SlackMessage {
  const other = d.otherKind ? knowledge.otherKinds.get(d.otherKind) : undefined;
  const platform = platformInfo(knowledge, d.platform);
  const blocks: KnownBlock[] = [];
  if (other) {
    blocks.push(
      section(
        `*This doesn't look like a login problem: ${escapeMrkdwn(`${other.title.charAt(0).toLowerCase()}${other.title.slice(1)}`)}.*\n${other.explanation.trim()}\n*What to do:* ${other.advice.trim()}`,
        BLOCK_IDS.card,
      ),
    );
  } else if (d.evidence.length > 0) {
    // Words matched but no code did, and the learned model read the whole message as something else
    // (a withdrawn login error, src/diagnosis/second-opinion.ts): say both, so the agent can judge.
    blocks.push(
      section(
        "*This probably isn't a login (token) error.* Some of its words read like one (below), but taken as a whole it reads like another kind of problem: that is the learned model's reading, so double-check it.\nIf a connector is failing, paste the exact error message it shows, e.g. `/tokenfix Error validating access token: Session has expired`.",
        BLOCK_IDS.card,
      ),
    );
  } else {
    blocks.push(
      section(
        "*This doesn't look like a login (token) error.* I found no sign of an expired, revoked or invalid login in it.\nIf a connector is failing, paste the exact error message it shows, e.g. `/tokenfix Error validating access token: Session has expired`.",
        BLOCK_IDS.card,
      ),
    );
  }
  const quoted = quotedInput(d, options.excerpt);
  if (quoted) blocks.push(quoted);
  const facts = contextLines(knowledge, d, platform, options);
  if (d.platform || d.evidence.length > 0 || d.secretsRedacted > 0) blocks.push(context(facts));
  const text = markFallback(
    other
      ? `Not a login problem: ${other.title.toLowerCase()}. Reconnecting won't help.`
      : d.evidence.length > 0
        ? "This probably isn't a login (token) error (the learned model's reading)."
        : "This doesn't look like a login (token) error.",
  );
  return { text, blocks };
}
