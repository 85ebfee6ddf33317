/** `/tokenfix <error text>`: a private card with a Share in channel button; alone or `help`: the help card. */
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../../cards';
import { diagnosisFields } from '../../log';
import { answerFor, readAsk } from '../../slack/explain';
import type { ListenerDeps } from '../deps';

export const COMMAND = '/tokenfix';

export function registerTokenfixCommand(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const context = {
      entry: 'command',
      team: command.team_id,
      channel: command.channel_id,
      user: command.user_id,
    };
    const ask = readAsk(command.text ?? '', deps.knowledge);
    if (ask.kind === 'diagnose')
      deps.log.info('diagnosed', { ...context, ...diagnosisFields(ask.analysis.diagnosis) });
    else deps.log.info('help asked', context);
    const message = answerFor(deps.knowledge, ask, { share: ACTION_IDS.shareInChannel });
    await deps.replies.respond(respond, { response_type: 'ephemeral', ...message }, context);
  });
}
