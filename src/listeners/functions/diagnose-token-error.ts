/**
 * The Workflow Builder step "Diagnose token error" (Bolt custom function, callback_id
 * `diagnose_token_error`, declared under `functions` in manifest.yml): takes the error text (`message`)
 * and outputs what the card shows, so admins can chain it into intake forms, Jira or ticketing.
 *
 * Every run ends in complete() or fail() — a step left hanging keeps its workflow waiting. A text that
 * is not a login error completes too: `is_token_error` false, empty strings, and a `summary` saying what
 * it looks like instead. Only a run without any text fails, with a message for the workflow's owner.
 */
import type { App } from '@slack/bolt';
import { renderCard } from '../../cards';
import { platformInfo, reauthGuide } from '../../cards/card';
import { analyze } from '../../diagnosis/diagnose';
import type { Knowledge } from '../../diagnosis/knowledge';
import type { Diagnosis } from '../../diagnosis/types';
import { diagnosisFields, errorFields } from '../../log';
import type { ListenerDeps } from '../deps';
import { recordDiagnosis } from '../record';

export const FUNCTION_CALLBACK_ID = 'diagnose_token_error';
export const FUNCTION_INPUT = 'message';

/** The step's outputs (contract names). */
export interface DiagnoseOutputs {
  is_token_error: boolean;
  platform: string;
  cause: string;
  cause_title: string;
  confidence: number;
  reauth_url: string;
  summary: string;
}

export const FUNCTION_OUTPUTS: ReadonlyArray<keyof DiagnoseOutputs> = [
  'is_token_error',
  'platform',
  'cause',
  'cause_title',
  'confidence',
  'reauth_url',
  'summary',
];

/** A workflow variable can be long; the engine reads this much (the same bound as message text). */
const MAX_INPUT_CHARS = 60_000;

/** Pure: the step's outputs for a text. */
export function diagnoseOutputs(knowledge: Knowledge, text: string): DiagnoseOutputs {
  return stepResult(knowledge, text).outputs;
}

function stepResult(knowledge: Knowledge, text: string): { outputs: DiagnoseOutputs; diagnosis: Diagnosis } {
  const { diagnosis: d } = analyze(text.slice(0, MAX_INPUT_CHARS), knowledge);
  const outputs = toOutputs(knowledge, d);
  return { outputs, diagnosis: d };
}

function toOutputs(knowledge: Knowledge, d: Diagnosis): DiagnoseOutputs {
  // The card's own one-line text: "Meta error: the user changed their password. Reconnect … to fix it."
  // or, for anything else, "Not a login problem: rate limited. Reconnecting won't help."
  const summary = renderCard(knowledge, d, { feedback: false }).text;
  if (!d.isTokenError) {
    return {
      is_token_error: false,
      platform: '',
      cause: '',
      cause_title: '',
      confidence: 0,
      reauth_url: '',
      summary,
    };
  }
  const cause = d.cause ?? 'unknown';
  return {
    is_token_error: true,
    platform: d.platform ?? '',
    cause,
    cause_title: knowledge.causes.get(cause)?.title ?? cause,
    confidence: Math.round(d.confidence * 100) / 100,
    reauth_url: reauthGuide(knowledge, d, platformInfo(knowledge, d.platform)) ?? '',
    summary,
  };
}

export function registerDiagnoseTokenError(app: App, deps: ListenerDeps): void {
  app.function(FUNCTION_CALLBACK_ID, async ({ inputs, complete, fail, context, client }) => {
    const log = deps.log.child({
      entry: 'workflow',
      team: context.teamId,
      execution: context.functionExecutionId,
    });
    const raw = (inputs as Record<string, unknown> | undefined)?.[FUNCTION_INPUT];
    const text = typeof raw === 'string' ? raw : '';
    if (text.trim() === '') {
      log.warn('workflow step run without a message');
      await fail({
        error: `The "Diagnose token error" step got no text: map the connector's error message to its "${FUNCTION_INPUT}" input.`,
      }).catch((error: unknown) => log.error('could not fail the workflow step', errorFields(error)));
      return;
    }
    let result: ReturnType<typeof stepResult>;
    try {
      result = stepResult(deps.knowledge, text);
    } catch (error) {
      log.error('workflow step diagnosis failed', errorFields(error));
      await fail({
        error: 'tokenfix could not read that message. Try again, or paste it in /tokenfix.',
      }).catch((e: unknown) => log.error('could not fail the workflow step', errorFields(e)));
      return;
    }
    log.info('diagnosed', diagnosisFields(result.diagnosis));
    try {
      await complete({ outputs: { ...result.outputs } });
    } catch (error) {
      // After the Web API client's own retries: end the run as failed rather than leave it waiting.
      log.error('could not complete the workflow step', errorFields(error));
      await fail({
        error: 'tokenfix diagnosed the message but could not hand the result to the workflow.',
      }).catch((e: unknown) => log.error('could not fail the workflow step', errorFields(e)));
    }
    // After the workflow has its answer: kept like any diagnosis (a keyed hash, never the text).
    await recordDiagnosis(deps, client, {
      team: context.teamId,
      channel: null,
      user: null,
      entryPoint: 'workflow',
      diagnosis: result.diagnosis,
      text,
      cardKey: null,
    });
  });
}
