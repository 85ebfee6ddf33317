import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { BUILT_IN_CONFIDENCE, type DecisionPath } from './confidence';
import {
  CalibrationSchema,
  type CauseInfo,
  CauseSchema,
  CUSTOMER_LANGUAGES,
  type CustomerLanguage,
  CustomerRepliesSchema,
  type CustomerTexts,
  CustomerTextsSchema,
  type Fixes,
  FixesSchema,
  type OtherKindInfo,
  OtherKindInfoSchema,
  OverlaySchema,
  type PlatformInfo,
  PlatformSchema,
  type Settings,
  SettingsSchema,
  type Signals,
  SignalsSchema,
} from './knowledge-schema';
import { CAUSE_IDS, type CauseId, OTHER_KINDS, type OtherKind } from './types';

export interface Knowledge {
  /** Every contract cause, in the article's order (the prior when the text shows no cause). */
  causes: Map<CauseId, CauseInfo>;
  otherKinds: Map<OtherKind, OtherKindInfo>;
  platforms: PlatformInfo[];
  signals: Signals;
  fixes: Fixes;
  settings: Settings;
  /** "Reply to customer" texts per language (knowledge/customer-replies.yml). */
  customerReplies: Record<CustomerLanguage, CustomerTexts>;
  /** The confidence each decision path states (knowledge/calibration.yml, else the built-in values). */
  confidence: Record<DecisionPath, number>;
}

/** A knowledge file that can't be used: names the file, the path inside it, and the problem. */
export class KnowledgeError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${file}: ${path || '(top)'}: ${problem}`);
    this.name = 'KnowledgeError';
  }
}

export const BUILT_IN_KNOWLEDGE_DIR = resolve(__dirname, '..', '..', 'knowledge');

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

function readYaml(file: string): unknown {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw new KnowledgeError(file, '', `cannot read file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return parseYaml(source, { prettyErrors: true });
  } catch (e) {
    throw new KnowledgeError(file, '', `not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

function validate<T extends z.ZodType>(schema: T, value: unknown, file: string, prefix = ''): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const inner = issue ? formatPath(issue.path) : '';
    const path = prefix && inner && !inner.startsWith('[') ? `${prefix}.${inner}` : prefix + inner;
    throw new KnowledgeError(file, path, issue?.message ?? 'invalid');
  }
  return result.data;
}

function section(file: string, key: string): unknown {
  const doc = readYaml(file);
  if (doc === null || typeof doc !== 'object' || !(key in doc)) {
    throw new KnowledgeError(file, key, `missing top-level "${key}:" section`);
  }
  return (doc as Record<string, unknown>)[key];
}

const LIST_FIELDS = [
  'names',
  'properNames',
  'signatures',
  'codeFormats',
  'codes',
  'phrases',
  'lifetimes',
] as const;

/** Overlay a partial platform on a built-in one: scalars replace, lists extend, data sources merge by name. */
function mergePlatform(base: PlatformInfo, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base, ...patch };
  for (const field of LIST_FIELDS) {
    const extra = patch[field];
    if (Array.isArray(extra)) merged[field] = [...base[field], ...extra];
  }
  const extraSources = patch.dataSources;
  if (Array.isArray(extraSources)) {
    const byName = new Map<string, unknown>(base.dataSources.map((d) => [d.name, d]));
    for (const d of extraSources) {
      const name = (d as { name?: unknown })?.name;
      const old = typeof name === 'string' ? byName.get(name) : undefined;
      byName.set(
        typeof name === 'string' ? name : String(byName.size),
        old ? { ...(old as object), ...d } : d,
      );
    }
    merged.dataSources = [...byName.values()];
  }
  return merged;
}

function checkCauses(causes: Map<CauseId, CauseInfo>, file: string): void {
  for (const id of CAUSE_IDS) {
    if (!causes.has(id)) throw new KnowledgeError(file, 'causes', `cause "${id}" is missing`);
  }
}

function checkPlatforms(platforms: PlatformInfo[], file: string): void {
  const seen = new Set<string>();
  platforms.forEach((p, i) => {
    if (seen.has(p.id))
      throw new KnowledgeError(file, `platforms[${i}].id`, `duplicate platform id "${p.id}"`);
    seen.add(p.id);
  });
}

/** Loads the built-in knowledge folder, then the optional overlay file (KNOWLEDGE_PATH). */
export function loadKnowledge(options: { dir?: string; overlayPath?: string } = {}): Knowledge {
  const dir = options.dir ?? BUILT_IN_KNOWLEDGE_DIR;
  const causesFile = join(dir, 'causes.yml');
  const causeList = validate(CauseSchema.array(), section(causesFile, 'causes'), causesFile, 'causes');
  const causes = new Map<CauseId, CauseInfo>();
  // Keep the contract's order whatever order the file uses: it is the prior.
  for (const id of CAUSE_IDS) {
    const found = causeList.find((c) => c.id === id);
    if (found) causes.set(id, found);
  }
  checkCauses(causes, causesFile);
  const otherKindList = validate(
    OtherKindInfoSchema.array(),
    section(causesFile, 'otherKinds'),
    causesFile,
    'otherKinds',
  );
  const otherKinds = new Map<OtherKind, OtherKindInfo>(otherKindList.map((o) => [o.id, o]));
  for (const id of OTHER_KINDS) {
    if (!otherKinds.has(id)) throw new KnowledgeError(causesFile, 'otherKinds', `kind "${id}" is missing`);
  }

  const signalsFile = join(dir, 'signals.yml');
  let signals = validate(SignalsSchema, readYaml(signalsFile), signalsFile);
  const fixesFile = join(dir, 'fixes.yml');
  let fixes = validate(FixesSchema, readYaml(fixesFile), fixesFile);
  const settingsFile = join(dir, 'settings.yml');
  let settings = validate(SettingsSchema, section(settingsFile, 'settings') ?? {}, settingsFile, 'settings');

  const repliesFile = join(dir, 'customer-replies.yml');
  const customerReplies = validate(CustomerRepliesSchema, readYaml(repliesFile), repliesFile).languages;

  // Generated by `npm run calibrate`; without it the engine states its hand-set confidences.
  const calibrationFile = join(dir, 'calibration.yml');
  const confidence = { ...BUILT_IN_CONFIDENCE };
  if (existsSync(calibrationFile)) {
    const calibration = validate(
      CalibrationSchema,
      section(calibrationFile, 'calibration'),
      calibrationFile,
      'calibration',
    );
    for (const [path, c] of Object.entries(calibration.paths))
      confidence[path as DecisionPath] = c.confidence;
  }

  const platformDir = join(dir, 'platforms');
  const platformFiles = readdirSync(platformDir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort();
  const platforms = platformFiles.map((f) => {
    const file = join(platformDir, f);
    const platform = validate(PlatformSchema, readYaml(file), file);
    if (platform.id !== basename(f).replace(/\.ya?ml$/, '')) {
      throw new KnowledgeError(file, 'id', `id "${platform.id}" does not match the file name`);
    }
    return platform;
  });
  checkPlatforms(platforms, platformDir);

  if (options.overlayPath) {
    const file = resolve(options.overlayPath);
    const overlay = validate(OverlaySchema, readYaml(file) ?? {}, file);
    overlay.causes?.forEach((patch, i) => {
      const base = causes.get(patch.id);
      causes.set(patch.id, validate(CauseSchema, { ...base, ...patch }, file, `causes[${i}]`));
    });
    overlay.otherKinds?.forEach((patch, i) => {
      const base = otherKinds.get(patch.id);
      otherKinds.set(
        patch.id,
        validate(OtherKindInfoSchema, { ...base, ...patch }, file, `otherKinds[${i}]`),
      );
    });
    overlay.platforms?.forEach((patch, i) => {
      const id = patch.id;
      const index = platforms.findIndex((p) => p.id === id);
      const base = index >= 0 ? platforms[index] : undefined;
      const merged = validate(
        PlatformSchema,
        base ? mergePlatform(base, patch) : patch,
        file,
        `platforms[${i}]`,
      );
      if (index >= 0) platforms[index] = merged;
      else platforms.push(merged);
    });
    if (overlay.signals) {
      signals = validate(
        SignalsSchema,
        {
          prefilter: [...signals.prefilter, ...(overlay.signals.prefilter ?? [])],
          phrases: [...(overlay.signals.phrases ?? []), ...signals.phrases],
          genericCodes: [...signals.genericCodes, ...(overlay.signals.genericCodes ?? [])],
          commonCodes: [...signals.commonCodes, ...(overlay.signals.commonCodes ?? [])],
          refusal: overlay.signals.refusal ?? signals.refusal,
        },
        file,
        'signals',
      );
    }
    if (overlay.fixes) fixes = validate(FixesSchema, { ...fixes, ...overlay.fixes }, file, 'fixes');
    if (overlay.settings) {
      settings = validate(SettingsSchema, { ...settings, ...overlay.settings }, file, 'settings');
    }
    for (const lang of CUSTOMER_LANGUAGES) {
      const patch = overlay.customerReplies?.languages[lang];
      if (!patch) continue;
      const base = customerReplies[lang];
      const merged = {
        ...base,
        ...patch,
        causes: { ...base.causes, ...(patch.causes as object | undefined) },
      };
      customerReplies[lang] = validate(
        CustomerTextsSchema,
        merged,
        file,
        `customerReplies.languages.${lang}`,
      );
    }
  }
  return { causes, otherKinds, platforms, signals, fixes, settings, customerReplies, confidence };
}
