import { z } from 'zod';
import { DECISION_PATHS, type DecisionPath, WORDING_ORDER } from './confidence';
import { CAUSE_IDS, type CauseId, OTHER_KINDS } from './types';

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
    /**
     * Marks the text as someone designing or describing software (a user story, a pull request, a
     * UI spec): login wording in it is talk about logins, not a report of one failing.
     */
    designTalk: z.boolean().optional(),
    /**
     * With an otherKind: the wording names what the login words beside it are really about (the
     * app's own client credentials or its one-time authorization code refused while connecting), so
     * the other kind holds wherever the login words stand; only a documented code with a cause
     * outweighs it.
     */
    overridesLogin: z.boolean().optional(),
    /** Where the wording was seen, for the next maintainer. */
    source: url.optional(),
  })
  .refine(
    (p) =>
      p.cause !== undefined || p.otherKind !== undefined || p.tokenError === true || p.designTalk === true,
    { message: 'a phrase needs a cause, an otherKind, tokenError: true or designTalk: true' },
  )
  .refine((p) => p.overridesLogin !== true || p.otherKind !== undefined, {
    message: 'overridesLogin: true needs the otherKind it stands for',
  });

export const LifetimeSchema = z.strictObject({
  /** Which token, in the platform's words: "long-lived user access token". */
  token: z.string().min(1),
  /** How long, in words a card can use: "about 60 days". */
  lasts: z.string().min(1),
  /**
   * The same in days, for a hard lifetime that starts again at each reconnect: a renewed login then
   * ends on a date anyone can compute, and the card offers "Remind me before it expires".
   */
  days: z.number().int().min(1).max(3650).optional(),
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
  /**
   * One-word names that are ordinary words too (Zoom, Box, Snap): they name the platform only written
   * with a capital inside a sentence ("the log showed Zoom returning 400"), never in lower case ("zoom
   * in") or as a sentence's first word.
   */
  properNames: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'a proper name is one word')).default([]),
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
  /**
   * A credential refused ("authentication failed", "invalid token", "getting a 401") says the login
   * did not work, not that it lapsed: a wrong or new key is refused the same way. Applied only where
   * settings.refusalCheck says (passive listening as shipped), and only when every login wording is a refusal and there is no code or
   * cause wording: `lapsed` keeps the card; else `setup` drops it; else a person telling it
   * (`narrative`) with nothing of `lapseContext` drops it. A bare pasted refusal keeps its card.
   */
  refusal: z
    .strictObject({
      /** Matches the start of a login-wording hit that only says a credential was refused. */
      wording: pattern,
      /** Somebody telling it, in the first person. */
      narrative: pattern,
      /** What plainly says the login had worked or lapsed ("expired", "stopped", "worked"): it outweighs setup. */
      lapsed: z.array(pattern).min(1),
      /** Weaker signs that it had worked or was changed ("since", "again", "my connection", a relayed ticket). */
      lapseContext: z.array(pattern).min(1),
      /**
       * The credential is new or being set up ("first time", "just created the key", "setting up"):
       * told by anyone, and outweighing lapseContext's weaker signs.
       */
      setup: z.array(pattern).min(1),
      source: url.optional(),
    })
    .optional(),
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
  /**
   * Passive replies (cards and outbreak pointers) per channel per minute; above it a token error only
   * gets the reaction. A backstop against reply loops with other apps and floods.
   */
  passiveRepliesPerMinute: z.number().int().min(1).max(600).default(6),
  /** Below this the card words the cause as a guess and lists alternatives. */
  sureConfidence: z.number().min(0).max(1).default(0.7),
  /**
   * Whether explicit asks also get the learned model's reading (knowledge/model.json) where the rules
   * are silent. Set by the shipping test on the blind split (docs/EVALUATION.md, "The learned model").
   */
  modelAnswersAsks: z.boolean().default(false),
  /** The same for passive listening (the workflow step keeps the rules alone either way). */
  modelAnswersPassive: z.boolean().default(false),
  /**
   * Where signals.refusal applies: a credential merely refused, told by a person with nothing saying
   * it had worked, is then not a lost login. `off`, `passive` (passive listening only) or `all` (every
   * path). On the blind split it removed 27 false alarms but lost 11 login errors (docs/EVALUATION.md,
   * point 17): a trade for unasked replies, not for asks (point 18). `true` and `false`, its
   * spellings before it had a path, still read as `all` and `off`.
   */
  refusalCheck: z
    .preprocess((v) => (v === true ? 'all' : v === false ? 'off' : v), z.enum(['off', 'passive', 'all']))
    .default('off'),
  outbreak: z
    .strictObject({
      minCount: z.number().int().min(1).default(5),
      minDistinct: z.number().int().min(1).default(3),
      windowMinutes: z.number().int().min(1).default(60),
    })
    .default({ minCount: 5, minDistinct: 3, windowMinutes: 60 }),
  /**
   * How long a reply's "answer once" claim is held for it without renewal (the holder renews it while it
   * works). Slack redelivers after ~0 s, 1 min and 5 min: under a minute, so that after a crash the
   * 1-minute redelivery is answered.
   */
  replyLeaseSeconds: z.number().int().min(1).max(600).default(45),
  retention: z
    .strictObject({
      diagnosesDays: z.number().int().min(1).default(180),
      eventIdsMinutes: z.number().int().min(1).default(60),
    })
    .default({ diagnosesDays: 180, eventIdsMinutes: 60 }),
  /** "Remind me before it expires": how many days before the renewed login's end the reminder comes. */
  reminderLeadDays: z.number().int().min(1).max(30).default(3),
});

const PathCalibrationSchema = z
  .strictObject({
    /** The confidence a diagnosis decided this way states. */
    confidence: z.number().gt(0).max(1),
    /** Cards this path gave on the tune split, and how many named an accepted cause. */
    cards: z.number().int().min(0),
    right: z.number().int().min(0),
  })
  .refine((p) => p.right <= p.cards, { message: 'right cannot exceed cards', path: ['right'] });

/** knowledge/calibration.yml, written by `npm run calibrate`: a confidence per decision path. */
export const CalibrationSchema = z
  .strictObject({
    /** The split the accuracies were measured on: never the blind one. */
    measuredOn: z.literal('tune'),
    paths: z.strictObject(
      Object.fromEntries(DECISION_PATHS.map((p) => [p, PathCalibrationSchema])) as Record<
        DecisionPath,
        typeof PathCalibrationSchema
      >,
    ),
  })
  .superRefine((c, ctx) => {
    // More agreeing wording is never less sure, and a contested cause stays below an uncontested one.
    for (let i = 1; i < WORDING_ORDER.length; i++) {
      const lower = WORDING_ORDER[i - 1] as DecisionPath;
      const higher = WORDING_ORDER[i] as DecisionPath;
      const strict = lower === 'wordingContested';
      const a = c.paths[lower].confidence;
      const b = c.paths[higher].confidence;
      if (strict ? a >= b : a > b)
        ctx.addIssue({
          code: 'custom',
          path: ['paths', lower, 'confidence'],
          message: `must be ${strict ? 'below' : 'at most'} ${higher}'s confidence (${b})`,
        });
    }
  });

export type CauseInfo = z.infer<typeof CauseSchema>;
export type Calibration = z.infer<typeof CalibrationSchema>;
export type OtherKindInfo = z.infer<typeof OtherKindInfoSchema>;
export type PlatformInfo = z.infer<typeof PlatformSchema>;
export type Phrase = z.infer<typeof PhraseSchema>;
export type CodeInfo = z.infer<typeof CodeSchema>;
export type Signals = z.infer<typeof SignalsSchema>;
export type Fixes = z.infer<typeof FixesSchema>;
export type Settings = z.infer<typeof SettingsSchema>;

/** The languages "Reply to customer" writes in (knowledge/customer-replies.yml has each one). */
export const CUSTOMER_LANGUAGES = ['en', 'de', 'fr', 'es', 'pt', 'fi'] as const;
export type CustomerLanguage = (typeof CUSTOMER_LANGUAGES)[number];

const customerText = z.string().min(1).max(1200);

export const CustomerTextsSchema = z.strictObject({
  /** The language's own name, for the language menu ("Deutsch"). */
  name: z.string().min(1).max(40),
  /** Stands for {platform} when the text named none; reads right wherever {platform} is used. */
  platformFallback: z.string().min(1).max(60),
  /** Stands for {dataSource} when the text named neither a product nor a platform. */
  dataSourceFallback: z.string().min(1).max(60),
  greeting: z.string().min(1).max(80),
  intro: customerText,
  /** Why it broke, in the customer's terms, per cause. */
  causes: z.strictObject(
    Object.fromEntries(CAUSE_IDS.map((id) => [id, customerText])) as Record<CauseId, typeof customerText>,
  ),
  steps: z.array(customerText).min(1).max(6),
  closing: customerText,
});
export type CustomerTexts = z.infer<typeof CustomerTextsSchema>;

export const CustomerRepliesSchema = z.strictObject({
  languages: z.strictObject(
    Object.fromEntries(CUSTOMER_LANGUAGES.map((l) => [l, CustomerTextsSchema])) as Record<
      CustomerLanguage,
      typeof CustomerTextsSchema
    >,
  ),
});

/** A KNOWLEDGE_PATH file: any of the sections; entries with an existing id replace or extend it. */
export const OverlaySchema = z.strictObject({
  causes: z.array(CauseSchema.partial().required({ id: true })).optional(),
  otherKinds: z.array(OtherKindInfoSchema.partial().required({ id: true })).optional(),
  platforms: z.array(z.record(z.string(), z.unknown())).optional(),
  signals: SignalsSchema.partial().optional(),
  fixes: FixesSchema.partial().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  /** Replaces a language's texts field by field, e.g. `customerReplies: { languages: { de: { closing: … } } }`. */
  customerReplies: z
    .strictObject({
      languages: z.partialRecord(z.enum(CUSTOMER_LANGUAGES), z.record(z.string(), z.unknown())),
    })
    .optional(),
});
