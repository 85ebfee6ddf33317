/**
 * Message events, in two kinds of conversation:
 * - channels the bot is in (public and private): passive listening, as the channel set it with
 *   `/tokenfix listen` (default `reply`). A login (token) error is recorded and, in `reply` mode, gets
 *   the card in its thread, once per thread for the same platform+cause; in `react` mode only the
 *   trigger emoji; with `off` nothing. While an outbreak alert is open for its platform+cause it gets
 *   the emoji and a one-line pointer to the alert instead of a full card. Anything else gets nothing.
 * - the bot's DM (Messages tab): every message is an explicit request and always gets an answer.
 * Never: the bot's own messages, edits/deletions/joins and other subtypes, or other apps' messages in
 * channels unless `/tokenfix bots on` there (default: knowledge `settings.readBotMessages`); nor a
 * tokenfix card someone else posted again (answering it would answer itself, round after round, with
 * an app that echoes posts). Passive replies are capped per channel per minute
 * (`settings.passiveRepliesPerMinute`), counted in the store so the cap holds across replicas (in
 * process without a store or while it fails; src/slack/reply-cap.ts); above the cap, the reaction only.
 */
import type { WebClient } from '@slack/web-api';
import { renderOutbreakPointer } from '../../cards/insight';
import { isTokenfixCard } from '../../cards/recognize';
import { passiveAnswer } from '../../diagnosis/asked';
import type { CauseId, Diagnosis } from '../../diagnosis/types';
import { diagnosisFields } from '../../log';
import { dedupeKeys, type Hold, replyHeld } from '../../slack/dedupe';
import { answerFor, mentionsUser, readAsk, stripMention } from '../../slack/explain';
import { cardKeys, type EffectiveSettings, SETTINGS_MAX_AGE_MS } from '../../slack/memory';
import { type MessageLike, messageText } from '../../slack/message-text';
import { type PostResult, redeliveryMayHelp } from '../../slack/replies';
import { inProcessCap, type ReplyCap, SharedCap } from '../../slack/reply-cap';
import { askWithImages, possibleImages, unreadScreenshot } from '../../slack/screenshots';
import type { Claim } from '../../store/store';
import type { ListenerDeps } from '../deps';
import { alertChannelFor, recordDiagnosis } from '../record';
import type { ListenerRouter } from '../router';

/** The Events API subscriptions this listener serves (manifest `bot_events`). */
export const MESSAGE_EVENTS = ['message.channels', 'message.groups', 'message.im'] as const;

/** Subtypes that are still somebody posting something new. */
const NEW_POST_SUBTYPES: ReadonlySet<string | undefined> = new Set([
  undefined,
  'thread_broadcast',
  'file_share',
  'bot_message',
]);

interface IncomingMessage extends MessageLike {
  subtype?: string;
  channel?: string;
  channel_type?: string;
  ts?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  hidden?: boolean;
  files?: unknown;
}

interface Ids {
  teamId?: string;
  botId?: string;
  botUserId?: string;
}

/** The claim that a thread got the card for this platform+cause. */
function passiveClaim(deps: ListenerDeps, channel: string, threadTs: string, d: Diagnosis): Claim {
  return {
    key: dedupeKeys.passive(channel, threadTs, d.platform, d.cause),
    ttlMs: deps.settings.threadTtlMs,
  };
}

/** The thread's claim for this platform+cause, held for a reply about to be posted. */
async function holdPassive(
  deps: ListenerDeps,
  channel: string,
  threadTs: string,
  d: Diagnosis,
): Promise<Hold> {
  return deps.claims.hold([passiveClaim(deps, channel, threadTs, d)]);
}

/** Remember that a thread got the card for this platform+cause (also after an explicit answer). */
export async function claimPassive(
  deps: ListenerDeps,
  channel: string,
  threadTs: string,
  d: Diagnosis,
): Promise<boolean> {
  if (!d.isTokenError) return true;
  const { key, ttlMs } = passiveClaim(deps, channel, threadTs, d);
  return deps.claims.claim(key, ttlMs);
}

export function registerPassive(router: ListenerRouter, deps: ListenerDeps): void {
  const perMinute = deps.knowledge.settings.passiveRepliesPerMinute;
  // With a store, every replica counts against the same slots; without one, this process counts alone.
  const cap: ReplyCap = deps.memory.durable
    ? new SharedCap(
        perMinute,
        (key, limit, windowMs) => deps.memory.takeCapSlot(key, limit, windowMs),
        deps.log,
      )
    : inProcessCap(perMinute);
  router.event('message', async ({ message, client, context }) => {
    const m = message as unknown as IncomingMessage;
    if (!m.channel || !m.ts || m.hidden) return;
    if (!NEW_POST_SUBTYPES.has(m.subtype)) return;
    // Never our own messages, whichever way they were posted.
    if ((m.user && m.user === context.botUserId) || (m.bot_id && m.bot_id === context.botId)) return;
    if (m.channel_type === 'im') return direct(deps, client, m, context);
    if (m.channel_type === 'channel' || m.channel_type === 'group')
      return passive(deps, client, m, context, cap);
  });
}

async function passive(
  deps: ListenerDeps,
  client: WebClient,
  m: IncomingMessage,
  ids: Ids,
  cap: ReplyCap,
): Promise<void> {
  const channel = m.channel as string;
  const ts = m.ts as string;
  // App Home names a channel only once it is known to be public (written once a day per channel).
  await deps.memory.noteChannelKind(ids.teamId, channel, m.channel_type === 'group');
  const fromApp = Boolean(m.bot_id) || m.subtype === 'bot_message';
  const text = messageText(m);
  // A mention is an explicit request: the app_mention listener answers it, whatever it says.
  if (mentionsUser(text, ids.botUserId)) return;
  if (isTokenfixCard(m)) {
    deps.log.debug('own card posted again, not answered', {
      entry: 'passive',
      team: ids.teamId,
      channel,
      ts,
      fromApp,
    });
    return;
  }

  // Local and cheap: ordinary chat stops here, before any store call.
  let ask = readAsk(text, deps.knowledge, false, false);
  let diagnosedText = text;
  let here: EffectiveSettings | undefined;
  const textSaysLogin = ask.kind === 'diagnose' && ask.analysis.diagnosis.isTokenError;
  // The refusal check held the text's login error back (a key merely refused, nothing saying it had
  // worked): a screenshot of the refusal would only say the same, without the words that held it back.
  const heldBack = ask.kind === 'diagnose' && ask.analysis.refusalHeldBack === true;
  if (!textSaysLogin && !heldBack && deps.screenshots && possibleImages(m).length > 0) {
    // A shared screenshot: read it (OCR, off the ack path) where the channel allows it.
    here = await deps.memory.channelSettings(ids.teamId, channel, SETTINGS_MAX_AGE_MS);
    if (here.listenMode === 'off' || !here.readImages || (fromApp && !here.readBots)) return;
    const read = await askWithImages(deps, m, text, {
      typed: false,
      asked: false,
      client,
      images: true,
    });
    ask = read.ask;
    diagnosedText = read.text;
  }
  if (ask.kind !== 'diagnose') return;
  if (!passiveAnswer(ask.analysis, deps.knowledge).answers) return;
  const d = ask.analysis.diagnosis;

  // Settings as read within the last few seconds: no store round trip for most token errors.
  const [settings, alertChannel] = await Promise.all([
    here ?? deps.memory.channelSettings(ids.teamId, channel, SETTINGS_MAX_AGE_MS),
    alertChannelFor(deps, ids.teamId),
  ]);
  here = settings;
  if (here.listenMode === 'off') return;
  if (fromApp && !here.readBots) return;

  const threadTs = m.thread_ts ?? ts;
  // The message (a redelivery is refused here) and, for a plain reply, the thread's card for this
  // platform+cause, in one round trip: every store wait here is a wait before the reply. Held until the
  // reply is posted, so that after a crash a redelivery is answered.
  const plainReply = here.listenMode === 'reply' && !alertChannel;
  const claims = [{ key: dedupeKeys.message(channel, ts), ttlMs: deps.settings.eventTtlMs }];
  if (plainReply) claims.push(passiveClaim(deps, channel, threadTs, d));
  const held = await deps.claims.hold(claims);
  const won = held.won;
  if (won === 0) return;

  const log = deps.log.child({ entry: 'passive', team: ids.teamId, channel, fromApp, mode: here.listenMode });
  const cardKey = cardKeys.message(channel, ts);
  const record = () =>
    recordDiagnosis(deps, client, {
      team: ids.teamId,
      channel,
      user: m.user ?? null,
      entryPoint: 'passive',
      diagnosis: d,
      text: diagnosedText,
      cardKey,
    });
  // With outbreak alerts on, the record comes first: it may open the outbreak this reply must respect.
  // Without them it goes alongside the reply, off its path (and is still awaited before the end).
  const recorded = alertChannel ? await record() : record();
  const holds: Hold[] = [held];
  try {
    await replyHeld(
      holds,
      () =>
        answer(deps, client, {
          m,
          team: ids.teamId,
          d,
          ask,
          here,
          log,
          threadTs,
          cardKey,
          alertChannel,
          threadClaimed: plainReply ? won === claims.length : null,
          holds,
          cap,
        }),
      redeliveryMayHelp,
    );
  } finally {
    await recorded;
  }
}

async function answer(
  deps: ListenerDeps,
  client: WebClient,
  a: {
    m: IncomingMessage;
    team: string | undefined;
    d: Diagnosis;
    ask: Extract<ReturnType<typeof readAsk>, { kind: 'diagnose' }>;
    here: { listenMode: string };
    log: ReturnType<ListenerDeps['log']['child']>;
    threadTs: string;
    cardKey: string;
    alertChannel: string | null;
    /** The thread's claim for this platform+cause, when it was taken with the message's; null: not yet. */
    threadClaimed: boolean | null;
    /** Claims taken here for the reply are added, for the caller to settle with its outcome. */
    holds: Hold[];
    cap: ReplyCap;
  },
): Promise<PostResult | null> {
  const { m, team, d, ask, here, log, threadTs, cardKey, alertChannel, threadClaimed, holds, cap } = a;
  const channel = m.channel as string;
  const ts = m.ts as string;
  const emoji = deps.knowledge.settings.triggerEmoji;
  /** Counts a post against the channel's cap (every replica's); over it, nothing is posted (the reaction at most). */
  const overCap = async (): Promise<boolean> => {
    if (await cap.take(`${team ?? '-'}:${channel}`)) return false;
    log.info('passive reply cap reached: reaction only', {
      ts,
      perMinute: deps.knowledge.settings.passiveRepliesPerMinute,
      ...diagnosisFields(d),
    });
    return true;
  };

  if (here.listenMode === 'react') {
    // Quiet mode: the emoji only; whoever reacts with it too (or uses the shortcut) gets the card.
    log.info('diagnosed', diagnosisFields(d));
    await deps.replies.react(client, { channel, ts, name: emoji, context: { entry: 'passive' } });
    return null;
  }

  if (alertChannel && d.platform && d.cause && (await deps.memory.outbreakOpen(team, d.platform, d.cause))) {
    // An outage flood collapses: a reaction, and once per thread a pointer to the alert.
    log.info('diagnosed during an outbreak', diagnosisFields(d));
    await deps.replies.react(client, { channel, ts, name: emoji, context: { entry: 'passive' } });
    const thread = await holdPassive(deps, channel, threadTs, d);
    holds.push(thread);
    if (thread.won === 0 || (await overCap())) return null;
    return deps.replies.postInThread(client, {
      channel,
      threadTs,
      message: renderOutbreakPointer(deps.knowledge, d.platform, d.cause as CauseId, alertChannel),
      context: { entry: 'passive' },
    });
  }

  let threadWon = threadClaimed;
  if (threadWon === null) {
    const thread = await holdPassive(deps, channel, threadTs, d);
    holds.push(thread);
    threadWon = thread.won > 0;
  }
  if (!threadWon) {
    log.debug('already answered in this thread', diagnosisFields(d));
    return null;
  }
  if (await overCap()) {
    await deps.replies.react(client, { channel, ts, name: emoji, context: { entry: 'passive' } });
    return null;
  }
  log.info('diagnosed', diagnosisFields(d));
  // Nobody asked, so nobody is told if the reply fails: it is only logged.
  return deps.replies.postInThread(client, {
    channel,
    threadTs,
    message: answerFor(deps.knowledge, ask, { cardKey }),
    context: { entry: 'passive' },
  });
}

async function direct(deps: ListenerDeps, client: WebClient, m: IncomingMessage, ids: Ids): Promise<void> {
  const channel = m.channel as string;
  const ts = m.ts as string;
  if (m.bot_id || m.subtype === 'bot_message') return;
  const held = await deps.claims.hold([
    { key: dedupeKeys.message(channel, ts), ttlMs: deps.settings.eventTtlMs },
  ]);
  if (held.won === 0) return;
  const log = deps.log.child({ entry: 'dm', team: ids.teamId, user: m.user });
  const read = await askWithImages(deps, m, stripMention(messageText(m), ids.botUserId), {
    typed: true,
    asked: true,
    client,
    images: true,
  });
  const { ask, text } = read;
  if (ask.kind === 'diagnose') log.info('diagnosed', diagnosisFields(ask.analysis.diagnosis));
  else log.info('help asked');
  const cardKey = cardKeys.message(channel, ts);
  await replyHeld(
    [held],
    () =>
      deps.replies.postInThread(client, {
        channel,
        // In the DM a top-level question gets a top-level answer; inside a thread, the thread.
        threadTs: m.thread_ts ?? null,
        message: unreadScreenshot(read) ?? answerFor(deps.knowledge, ask, { cardKey }),
        ...(m.user ? { asker: { user: m.user } } : {}),
        context: { entry: 'dm' },
      }),
    redeliveryMayHelp,
  );
  if (ask.kind === 'diagnose') {
    await recordDiagnosis(deps, client, {
      team: ids.teamId,
      // A DM is not a channel: kept without one.
      channel: null,
      user: m.user ?? null,
      entryPoint: 'dm',
      diagnosis: ask.analysis.diagnosis,
      text,
      cardKey,
    });
  }
}
