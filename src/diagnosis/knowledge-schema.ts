import { z } from 'zod';
import { CAUSE_IDS, OTHER_KINDS } from './types';

/**
 * The shape of the knowledge YAML. Every regular expression is a source string compiled with the
 * `i` flag; the loader compiles each one so a broken pattern is reported with its file and path.
 */
const pattern = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    try {
      new RegExp(source, 'i');
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(e as Error).message}` });
    }
  });
const url = z.url({ protocol: /^https?$/ });
const causeId = z.enum(CAUSE_IDS);
const otherKind = z.enum(OTHER_KINDS);

export const CauseSchema = z.strictObject({
  id: causeId,
  /** Card header wording, e.g. "Password changed". */
  title: z.string().min(1).max(80),
  /** Why this breaks the login, in plain words. */
  explanation: z.string().min(1).max(1200),
  /** What to do about this cause in particular; {platform} is replaced with the platform's name. */
  advice: z.string().min(1).max(1200),
});

export const OtherKindInfoSchema = z.strictObject({
  id: otherKind,
  title: z.string().min(1).max(80),
  explanation: z.string().min(1).max(1200),
  advice: z.string().min(1).max(1200),
});

export const CodeSchema = z
  .strictObject({
    /** As the platform writes it: "190/460", "190", "AADSTS700082", "invalid_grant". */
    code: z.string().min(1),
    cause: causeId.optional(),
    otherKind: otherKind.optional(),
    meaning: z.string().min(1).optional(),
    /** The message the platform's reference gives for the code, verbatim or as the page writes it. */
    message: z.string().min(1).max(1000).optional(),
    /**
     * The code in the shape the platform returns it (a JSON body, an SDK exception line, a plain
     * line), as its reference shows: the generated test diagnoses exactly this text.
     */
    example: z.string().min(1).max(4000).optional(),
    source: url,
  })
  .refine((c) => (c.cause === undefined) !== (c.otherKind === undefined), {
    message: 'a code maps to exactly one of cause or otherKind',
  })
  .superRefine((c, ctx) => {
    // An example that shows neither the code nor its message tests something else.
    const example = c.example?.toLowerCase();
    if (
      example !== undefined &&
      !example.includes(c.code.toLowerCase()) &&
      !(c.message !== undefined && example.includes(c.message.toLowerCase()))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['example'],
        message: `the example shows neither the code "${c.code}" nor its message`,
      });
    }
  });

export const PhraseSchema = z
  .strictObject({
    pattern,
    cause: causeId.optional(),
    otherKind: otherKind.optional(),
    /** Marks the text as a login/token error on its own (wording no other problem uses). */
    tokenError: z.boolean().optional(),
    /** Where the wording was seen, for the next maintainer. */
    source: url.optional(),
  })
  .refine((p) => p.cause !== undefined || p.otherKind !== undefined || p.tokenError === true, {
    message: 'a phrase needs a cause, an otherKind, or tokenError: true',
  });

export const LifetimeSchema = z.strictObject({
  /** Which token, in the platform's words: "long-lived user access token". */
  token: z.string().min(1),
  /** How long, in words a card can use: "about 60 days". */
  lasts: z.string().min(1),
  /** The cause this limit explains when it runs out: a hard lifetime, or a limit on disuse. */
  cause: z.enum(['token_max_lifetime', 'refresh_token_inactive']).optional(),
  source: url,
});

export const DataSourceSchema = z.strictObject({
  /** Canonical product name, as reported in `dataSource`. */
  name: z.string().min(1),
  /** How people write it (matched as whole words, case-insensitive). The canonical name is implied. */
  names: z.array(z.string().min(1)).default([]),
  reauthGuide: url.optional(),
});

export const PlatformSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9]*$/, 'platform ids are lower-case words'),
  name: z.string().min(1),
  /** Words people use for the platform itself (whole words, case-insensitive). */
  names: z.array(z.string().min(1)).default([]),
  dataSources: z.array(DataSourceSchema).default([]),
  /** Patterns that mark an error text as this platform's (exception names, API hosts, code shapes). */
  signatures: z.array(pattern).default([]),
  /** Patterns whose capture groups, joined with "/", give the platform's own error code. */
  codeFormats: z.array(pattern).default([]),
  codes: z.array(CodeSchema).default([]),
  phrases: z.array(PhraseSchema).default([]),
  lifetimes: z.array(LifetimeSchema).default([]),
  reauthGuide: url,
  /** Where a user sees and re-grants the apps connected to their account. */
  appSettingsUrl: url.optional(),
  statusPage: url.optional(),
});

export const SignalsSchema = z.strictObject({
  /** Cheap literal keywords: text containing none of them is ordinary chat and skips every pattern. */
  prefilter: z.array(z.string().min(2)).min(1),
  /** Wording that applies on every platform. */
  phrases: z.array(PhraseSchema).default([]),
  /** Codes every OAuth platform uses (invalid_grant…): they show a login error, never whose. */
  genericCodes: z.array(z.string().min(1)).default([]),
  /**
   * Enum names many APIs share (NOT_AUTHORIZED, PERMISSION_DENIED): a platform's table may list
   * them, but only its codeFormats, reading them in that platform's own context, find them; the
   * table scan never takes one alone as a sign of a platform.
   */
  commonCodes: z.array(z.string().min(1)).default([]),
});

export const FixesSchema = z.strictObject({
  /** The common fix steps, in order; {reauthGuide} and {platform} are filled in. */
  steps: z.array(z.strictObject({ id: z.string().min(1), text: z.string().min(1).max(600) })).min(1),
  browsers: z.array(z.strictObject({ name: z.string().min(1), url })).min(1),
  /** Used when the platform can't be told: a team's own "how to reconnect a data source" page. */
  defaultReauthGuide: url.optional(),
  traps: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        title: z.string().min(1).max(120),
        /** When the text shows the trap. */
        pattern: pattern.optional(),
        /** Or when the diagnosis lands on one of these platform+cause pairs. */
        when: z
          .array(z.strictObject({ platform: z.string().optional(), cause: causeId.optional() }))
          .optional(),
        fix: z.string().min(1).max(800),
        source: url.optional(),
      }),
    )
    .default([]),
});

export const SettingsSchema = z.strictObject({
  /** The reaction that asks for a diagnosis. */
  triggerEmoji: z
    .string()
    .regex(/^[a-z0-9_+-]+$/)
    .default('key'),
  /** Whether passive listening reads other apps' messages (connector alert bots); off rules out bot loops and floods. */
  readBotMessages: z.boolean().default(false),
  /** Passive listening answers token errors whose confidence is at least this. */
  passiveMinConfidence: z.number().min(0).max(1).default(0),
  /** Below this the card words the cause as a guess and lists alternatives. */
  sureConfidence: z.number().min(0).max(1).default(0.7),
  outbreak: z
    .strictObject({
      minCount: z.number().int().min(1).default(5),
      minDistinct: z.number().int().min(1).default(3),
      windowMinutes: z.number().int().min(1).default(60),
    })
    .default({ minCount: 5, minDistinct: 3, windowMinutes: 60 }),
  retention: z
    .strictObject({
      diagnosesDays: z.number().int().min(1).default(180),
      eventIdsMinutes: z.number().int().min(1).default(60),
    })
    .default({ diagnosesDays: 180, eventIdsMinutes: 60 }),
});

export type CauseInfo = z.infer<typeof CauseSchema>;
export type OtherKindInfo = z.infer<typeof OtherKindInfoSchema>;
export type PlatformInfo = z.infer<typeof PlatformSchema>;
export type Phrase = z.infer<typeof PhraseSchema>;
export type CodeInfo = z.infer<typeof CodeSchema>;
export type Signals = z.infer<typeof SignalsSchema>;
export type Fixes = z.infer<typeof FixesSchema>;
export type Settings = z.infer<typeof SettingsSchema>;

/** A KNOWLEDGE_PATH file: any of the sections; entries with an existing id replace or extend it. */
export const OverlaySchema = z.strictObject({
  causes: z.array(CauseSchema.partial().required({ id: true })).optional(),
  otherKinds: z.array(OtherKindInfoSchema.partial().required({ id: true })).optional(),
  platforms: z.array(z.record(z.string(), z.unknown())).optional(),
  signals: SignalsSchema.partial().optional(),
  fixes: FixesSchema.partial().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});
