/**
 * "Fixed it" / "Still broken": ack at once; record one vote per person per card (a second click changes
 * it) against the card key the buttons carry; redraw the card in place with who said what, keeping the
 * buttons so others can vote and anyone can change their mind; after "Still broken", offer the next most
 * likely cause (from the alternatives the buttons carry) with its advice. A private (ephemeral) card,
 * whose blocks Slack does not send back, is drawn again from the diagnosis its buttons carry and
 * replaced through the response_url. Then the clicker's App Home is
 * published again with the new figures. When the store can't be reached the card still changes and the
 * clicker is told privately that the vote wasn't saved.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { ACTION_IDS, BLOCK_IDS, decodePrivateCard, renderCard, type SlackMessage } from '../../cards';
import { INSIGHT_BLOCK_IDS, renderNextCause } from '../../cards/insight';
import { CAUSE_IDS, type CauseId } from '../../diagnosis/types';
import type { CardVote, Vote } from '../../store/store';
import type { ListenerDeps } from '../deps';
import { publishHome } from '../events/app-home-opened';
import type { ListenerRouter } from '../router';

export type { Vote } from '../../store/store';

/** Where the outcome goes, just above the buttons. */
export const FEEDBACK_DONE_BLOCK_ID = 'tokenfix_feedback_done';

export interface Ref {
  platform: string | null;
  cause: CauseId | null;
  next: CauseId[];
  /** The card's key in the store; null on cards from before votes were kept. */
  key: string | null;
}

export function readRef(value: string | undefined): Ref {
  try {
    const v = JSON.parse(value ?? '') as Partial<Ref>;
    const isCause = (c: unknown): c is CauseId => (CAUSE_IDS as readonly unknown[]).includes(c);
    return {
      platform: typeof v.platform === 'string' ? v.platform : null,
      cause: isCause(v.cause) ? v.cause : null,
      next: Array.isArray(v.next) ? v.next.filter(isCause) : [],
      key: typeof v.key === 'string' && v.key.length > 0 && v.key.length <= 200 ? v.key : null,
    };
  } catch {
    return { platform: null, cause: null, next: [], key: null };
  }
}

function people(users: string[]): string {
  const shown = users.slice(0, 5).map((u) => `<@${u}>`);
  const more = users.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** One line for everybody's votes on the card: "✅ Fixed — confirmed by <@U1>" or "Still broken — noted by …". */
export function outcomeNote(votes: CardVote[]): string {
  const fixed = votes.filter((v) => v.vote === 'fixed').map((v) => v.user);
  const broken = votes.filter((v) => v.vote === 'still_broken').map((v) => v.user);
  if (fixed.length > 0)
    return `✅ Fixed — confirmed by ${people(fixed)}${broken.length > 0 ? ` · still broken for ${people(broken)}` : ''}`;
  return `Still broken — noted by ${people(broken)}.`;
}

/**
 * The card's blocks with the outcome line (and, after "Still broken", the next cause) just above the
 * feedback buttons, replacing the ones an earlier click put there.
 */
export function withOutcome(blocks: KnownBlock[], note: string, next?: KnownBlock | null): KnownBlock[] {
  const done: KnownBlock = {
    type: 'context',
    block_id: FEEDBACK_DONE_BLOCK_ID,
    elements: [{ type: 'mrkdwn', text: note }],
  };
  const previousNext = blocks.find((b) => b.block_id === INSIGHT_BLOCK_IDS.nextCause);
  const nextBlock = next ?? previousNext ?? null;
  const kept = blocks.filter(
    (b) => b.block_id !== FEEDBACK_DONE_BLOCK_ID && b.block_id !== INSIGHT_BLOCK_IDS.nextCause,
  );
  const added = [...(nextBlock ? [nextBlock] : []), done];
  const at = kept.findIndex((b) => b.block_id === BLOCK_IDS.feedback);
  if (at < 0) return [...kept, ...added];
  return [...kept.slice(0, at), ...added, ...kept.slice(at)];
}

/** A private card as it was first drawn, from what its feedback button carries; null when it carries too little. */
function redrawPrivateCard(deps: ListenerDeps, value: string | undefined): SlackMessage | null {
  const card = decodePrivateCard(value);
  if (!card) return null;
  return renderCard(deps.knowledge, card.diagnosis, {
    excerpt: card.excerpt,
    share: card.share,
    ...(card.target ? { target: card.target } : {}),
    cardKey: card.key,
  });
}

export function registerFeedback(router: ListenerRouter, deps: ListenerDeps): void {
  const handle =
    (vote: Vote) =>
    async ({
      ack,
      body,
      action,
      client,
      respond,
      context,
    }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
      await ack();
      const user = body.user.id;
      const ref = readRef(action.value);
      const container = (body.container ?? {}) as { is_ephemeral?: boolean; channel_id?: string };
      const channel = body.channel?.id ?? container.channel_id;
      const log = deps.log.child({ entry: 'feedback', team: context.teamId, channel, user });

      const result = ref.key ? await deps.memory.vote(ref.key, user, vote) : { saved: false, votes: [] };
      log.info('feedback', { vote, platform: ref.platform, cause: ref.cause, saved: result.saved });
      const votes = result.saved && result.votes.length > 0 ? result.votes : [{ user, vote, at: Date.now() }];
      const note = outcomeNote(votes);
      const nextCause = vote === 'still_broken' ? ref.next[0] : undefined;
      const next = nextCause ? renderNextCause(deps.knowledge, nextCause, ref.platform) : null;
      const unsaved =
        ":warning: I couldn't save your feedback just now (my store can't be reached), so it won't count in the figures. Please click again in a minute.";

      const original = body.message as { ts?: string; text?: string; blocks?: KnownBlock[] } | undefined;
      const redrawn = container.is_ephemeral ? redrawPrivateCard(deps, action.value) : null;
      let shown = false;
      if (redrawn) {
        shown = await deps.replies.respond(
          respond,
          { replace_original: true, text: redrawn.text, blocks: withOutcome(redrawn.blocks, note, next) },
          { entry: 'feedback' },
        );
      } else if (original?.blocks && original.blocks.length > 0) {
        const message = { text: original.text ?? note, blocks: withOutcome(original.blocks, note, next) };
        if (!container.is_ephemeral && channel && original.ts) {
          shown = await deps.replies.update(client, {
            channel,
            ts: original.ts,
            message,
            context: { entry: 'feedback' },
          });
        } else {
          shown = await deps.replies.respond(
            respond,
            { replace_original: true, ...message },
            { entry: 'feedback' },
          );
        }
      }
      if (!shown) {
        // Neither blocks to redraw nor a diagnosis to draw them from (a card from before its buttons
        // carried one), or the redraw failed: answer beside it instead.
        const nextText = next && next.type === 'section' && next.text ? `\n${next.text.text}` : '';
        await deps.replies.respond(
          respond,
          {
            response_type: 'ephemeral',
            replace_original: false,
            text: `${note}${nextText}${result.saved || !ref.key ? '' : `\n${unsaved}`}`,
          },
          { entry: 'feedback' },
        );
      } else if (!result.saved && ref.key) {
        await deps.replies.respond(
          respond,
          { response_type: 'ephemeral', replace_original: false, text: unsaved },
          { entry: 'feedback' },
        );
      }
      // The clicker's App Home shows the new figures.
      if (result.saved) await publishHome(deps, client, context.teamId, user, 'feedback');
    };
  router.action(ACTION_IDS.fixed, handle('fixed'));
  router.action(ACTION_IDS.stillBroken, handle('still_broken'));
}
