/**
 * src/listeners/router.ts on a real Bolt App (events fed to App.processEvent, no network): each kind is
 * one Bolt listener, every event type and action id reaches its own listener and nothing else, and a
 * second registration of one id is refused.
 */
import { App } from '@slack/bolt';
import { routeListeners } from '../../src/listeners/router';

function boltApp(): App {
  return new App({
    signingSecret: 'router-test',
    authorize: async () => ({ botToken: 'xoxb-router', botId: 'B0', botUserId: 'U0BOT' }),
  });
}

const event = (type: string, extra: Record<string, unknown> = {}) => ({
  type: 'event_callback',
  team_id: 'T0',
  api_app_id: 'A0',
  event_id: `Ev${Math.random()}`,
  event: { type, user: 'U1', channel: 'C1', ts: '1.1', event_ts: '1.1', ...extra },
});

const button = (actionId: string) => ({
  type: 'block_actions',
  team: { id: 'T0' },
  user: { id: 'U1' },
  api_app_id: 'A0',
  token: 'x',
  trigger_id: 't',
  container: { type: 'message', channel_id: 'C1', message_ts: '1.1' },
  channel: { id: 'C1' },
  actions: [{ type: 'button', action_id: actionId, block_id: 'b', value: 'v', action_ts: '1.2' }],
});

async function deliver(app: App, body: Record<string, unknown>): Promise<void> {
  await app.processEvent({ body, ack: async () => undefined });
}

describe('the listener router', () => {
  it('mounts one Bolt listener per kind and sends each event type and action id to its listener only', async () => {
    const app = boltApp();
    const seen: string[] = [];
    const boltListeners = (app as unknown as { listeners: unknown[] }).listeners;
    const before = boltListeners.length;
    routeListeners(app, (router) => {
      router.event('app_mention', async ({ event }) => {
        seen.push(`mention ${event.text}`);
      });
      router.event('reaction_added', async ({ event }) => {
        seen.push(`reaction ${event.reaction}`);
      });
      router.action('tokenfix.fixed', async ({ ack, action }) => {
        await ack();
        seen.push(`button ${action.action_id}`);
      });
      router.action('tokenfix_still', async ({ ack, action }) => {
        await ack();
        seen.push(`button ${action.action_id}`);
      });
    });
    expect(boltListeners.length - before).toBe(2);

    await deliver(app, event('app_mention', { text: 'hi' }));
    await deliver(app, event('reaction_added', { reaction: 'key', item: { type: 'message' } }));
    await deliver(app, event('app_home_opened', { tab: 'home' })); // not routed: nobody hears it
    await deliver(app, button('tokenfix.fixed'));
    await deliver(app, button('tokenfix_still'));
    await deliver(app, button('tokenfixXfixed')); // near an id, but not one: nobody hears it
    expect(seen).toEqual(['mention hi', 'reaction key', 'button tokenfix.fixed', 'button tokenfix_still']);
  });

  it('refuses a second listener for the same event type or action id', () => {
    const app = boltApp();
    const noop = async () => undefined;
    expect(() =>
      routeListeners(app, (router) => {
        router.event('app_mention', noop);
        router.event('app_mention', noop);
      }),
    ).toThrow('listeners: event app_mention is registered twice');
    expect(() =>
      routeListeners(app, (router) => {
        router.action('a', noop);
        router.action('a', noop);
      }),
    ).toThrow('listeners: action a is registered twice');
  });
});
