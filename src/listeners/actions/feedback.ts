/**
 * "Fixed it" / "Still broken": ack at once, then replace the buttons on the card with who said what, so
 * everybody sees it landed. (Keeping the votes comes with the state issue; for now they are logged.)
 */
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { ACTION_IDS, BLOCK_IDS } from '../../cards';
import { CAUSE_IDS, type CauseId } from '../../diagnosis/types';
import type { ListenerDeps } from '../deps';

export type Vote = 'fixed' | 'still_broken';

/** Where the outcome goes once the buttons are gone. */
export const FEEDBACK_DONE_BLOCK_ID = 'tokenfix_feedback_done';

interface Ref {
  platform: string | null;
  cause: CauseId | null;
  next: CauseId[];
}

function readRef(value: string | undefined): Ref {
  try {
    const v = JSON.parse(value ?? '') as Partial<Ref>;
    const isCause = (c: unknown): c is CauseId => (CAUSE_IDS as readonly unknown[]).includes(c);
    return {
      platform: typeof v.platform === 'string' ? v.platform : null,
      cause: isCause(v.cause) ? v.cause : null,
      next: Array.isArray(v.next) ? v.next.filter(isCause) : [],
    };
  } catch {
    return { platform: null, cause: null, next: [] };
  }
}

export function feedbackNote(deps: ListenerDeps, vote: Vote, user: string, ref: Ref): string {
  if (vote === 'fixed') return `✅ Fixed — confirmed by <@${user}>`;
  const next = ref.next[0] ? deps.knowledge.causes.get(ref.next[0])?.title : undefined;
  return `Still broken — noted by <@${user}>.${next ? ` Next most likely cause: *${next}*.` : ''}`;
}

/** The card's blocks with the feedback buttons replaced by the outcome line. */
export function withOutcome(blocks: KnownBlock[], note: string): KnownBlock[] {
  const done: KnownBlock = {
    type: 'context',
    block_id: FEEDBACK_DONE_BLOCK_ID,
    elements: [{ type: 'mrkdwn', text: note }],
  };
  let replaced = false;
  const out = blocks.map((b) => {
    if (b.block_id === BLOCK_IDS.feedback || b.block_id === FEEDBACK_DONE_BLOCK_ID) {
      replaced = true;
      return done;
    }
    return b;
  });
  return replaced ? out : [...out, done];
}

export function registerFeedback(app: App, deps: ListenerDeps): void {
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
      log.info('feedback', { vote, platform: ref.platform, cause: ref.cause });
      const note = feedbackNote(deps, vote, user, ref);
      const original = body.message as { ts?: string; text?: string; blocks?: KnownBlock[] } | undefined;
      if (original?.blocks && original.blocks.length > 0) {
        const message = { text: original.text ?? note, blocks: withOutcome(original.blocks, note) };
        if (!container.is_ephemeral && channel && original.ts) {
          await deps.replies.update(client, {
            channel,
            ts: original.ts,
            message,
            context: { entry: 'feedback' },
          });
          return;
        }
        await deps.replies.respond(respond, { replace_original: true, ...message }, { entry: 'feedback' });
        return;
      }
      // Slack does not send an ephemeral card's blocks back: answer beside it instead.
      await deps.replies.respond(
        respond,
        { response_type: 'ephemeral', replace_original: false, text: note },
        { entry: 'feedback' },
      );
    };
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.fixed, handle('fixed'));
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.stillBroken, handle('still_broken'));
}
