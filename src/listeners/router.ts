/**
 * One Bolt listener per kind, routing by event type (messages included) or action id to the listener
 * files.
 *
 * Bolt runs the filters of every registered listener for every request, matching or not:
 * `npm run bench:listeners` prints the CPU per event for 2, 6 and 13 listeners (here, with 13, most
 * of Bolt's own cost per message). The listener files register here as they would on the App, and
 * each kind becomes one Bolt listener, so that cost stays flat as listeners are added.
 */
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from '@slack/bolt';

type EventArgs<T extends string> = SlackEventMiddlewareArgs<T> & AllMiddlewareArgs;
type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** What the event and action listener files register on. */
export interface ListenerRouter {
  event<T extends string>(type: T, listener: Middleware<SlackEventMiddlewareArgs<T>>): void;
  /** A button in one of our cards, by its action_id. */
  action(actionId: string, listener: Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>>): void;
}

const escaped = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (ids: Iterable<string>): RegExp => new RegExp(`^(?:${[...ids].map(escaped).join('|')})$`);

/** Collects what `register` adds, then mounts one Bolt event listener and one action listener. */
export function routeListeners(app: App, register: (router: ListenerRouter) => void): void {
  const events = new Map<string, (args: EventArgs<string>) => Promise<void>>();
  const actions = new Map<string, (args: ButtonArgs) => Promise<void>>();
  const refuseRepeat = (kind: string, map: Map<string, unknown>, id: string) => {
    if (map.has(id)) throw new Error(`listeners: ${kind} ${id} is registered twice`);
  };
  register({
    event(type, listener) {
      refuseRepeat('event', events, type);
      events.set(type, listener as unknown as (args: EventArgs<string>) => Promise<void>);
    },
    action(actionId, listener) {
      refuseRepeat('action', actions, actionId);
      actions.set(actionId, listener as unknown as (args: ButtonArgs) => Promise<void>);
    },
  });
  if (events.size > 0) {
    app.event(anyOf(events.keys()), async (args) => {
      await events.get(args.event.type)?.(args as unknown as EventArgs<string>);
    });
  }
  if (actions.size > 0) {
    app.action<BlockAction<ButtonAction>>(anyOf(actions.keys()), async (args) => {
      await actions.get(args.action.action_id)?.(args);
    });
  }
}
