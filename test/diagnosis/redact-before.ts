/**
 * The redactor as it was before its cheap checks were merged (359cfdc, src/diagnosis/redact.ts), kept
 * unchanged below this comment as the reference: test/diagnosis/redact-before.test.ts shows the
 * redactor now masks every input exactly as this one did. Not used by the bot.
 *
 * The rule set itself has grown since (webhook URLs, OpenAI and Anthropic keys, base64url tokens with
 * dashes, Mailchimp keys, a long key ending a sentence, cookie headers, SendGrid/Mailgun/Hugging Face keys, passwords told in prose, `mysql -p…`): those rules are mirrored here with plain checks,
 * so the comparison stays one of the merged checks against plain ones, not of old rules against new.
 */
/**
 * Masks pasted secrets before anything else sees the text. Each rule keeps a short, recognisable
 * stub ("EAAG…[redacted]") so an agent can still tell which kind of token was pasted.
 * All patterns are linear-time (checked by test/diagnosis/regex-safety.test.ts).
 *
 * Shapes follow the public gitleaks / trufflehog rule sets (as facts: prefixes, lengths, alphabets).
 */
import { unescapeJsonish } from '../../src/diagnosis/normalize';
// The newer rules' value checks are the bot's own: what this file compares is the cheap checks in front.
import {
  acceptProsePassword,
  isMysqlPassword,
  isTraceId,
  opensProsePassword,
  PROSE_PASSWORD,
  prosePasswordEnd,
} from '../../src/diagnosis/redact';

export interface Redaction {
  text: string;
  count: number;
}

const MASK = '…[redacted]';
/** How many levels of JSON escaping are read through (each a linear pass). */
const UNESCAPE_LEVELS = 6;

interface Rule {
  name: string;
  pattern: RegExp;
  /** How many leading characters of the secret part to keep as a recognisable stub. */
  keep: number;
  /**
   * Capture group holding the secret. The groups are written to cover the match in order, unnested,
   * so the secret starts where the groups before it end; the rest of the match is kept as it is.
   */
  group: number;
  /** Extra check, for shapes a regex alone would make super-linear or too eager. */
  accept?: Accept;
  /** The check, made for one text (when it needs to work something out about the whole text). */
  prepare?: (text: string) => Accept;
  /**
   * A cheap necessary condition for a match (a literal the pattern needs, or a long enough run of
   * its characters): most texts fail it, so the pattern, the costly part, is not run on them.
   */
  possible: (text: TextFacts) => boolean;
  /** Where the mask of a secret that ends at `end` really ends (a value cut at its pattern's cap). */
  extend?: (text: string, end: number, secret: string) => number;
}

/**
 * The longest runs of the character sets the long-secret rules are made of. A run shorter than
 * SHORTEST_RUN_ASKED counts as 0: no rule's check asks for less.
 */
interface Runs {
  /** [A-Z0-9] (AWS key ids) */
  upperOrDigit: number;
  /** [A-Za-z0-9/+] (AWS secret keys) */
  base64: number;
  /** [A-Za-z0-9_] (long keys) */
  word: number;
  /** [A-Za-z0-9_-] (prefixed keys) */
  wordOrDash: number;
}

/** What the rules' cheap checks read, each worked out at most once per version of the text. */
class TextFacts {
  private runsFound: Runs | null = null;
  constructor(readonly text: string) {}
  runs(): Runs {
    this.runsFound ??= longestRuns(this.text);
    return this.runsFound;
  }
}

/** Bits of each ASCII character: which of the run sets of Runs it belongs to. */
const UPPER_OR_DIGIT = 1;
const BASE64 = 2;
const WORD = 4;
const WORD_OR_DASH = 8;
const RUN_SETS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const upper = c >= 65 && c <= 90;
  const digit = c >= 48 && c <= 57;
  const alnum = upper || digit || (c >= 97 && c <= 122);
  RUN_SETS[c] =
    (upper || digit ? UPPER_OR_DIGIT : 0) |
    (alnum || c === 47 || c === 43 ? BASE64 : 0) |
    (alnum || c === 95 ? WORD : 0) |
    (alnum || c === 95 || c === 45 ? WORD_OR_DASH : 0);
}

/** The shortest run a check asks for (prefixed keys' wordOrDash >= 18; the others ask for 20, 32, 40). */
const SHORTEST_RUN_ASKED = 18;

function longestRuns(text: string): Runs {
  const runs: Runs = { upperOrDigit: 0, base64: 0, word: 0, wordOrDash: 0 };
  // No run holds a space: only the stretches between spaces long enough for one are read character
  // by character (in chat, few or none), and the spaces are found by indexOf, much cheaper per
  // character than a loop in JavaScript.
  for (let from = 0; from < text.length; ) {
    let to = text.indexOf(' ', from);
    if (to < 0) to = text.length;
    if (to - from >= SHORTEST_RUN_ASKED) unionRunsIn(text, from, to, runs);
    from = to + 1;
  }
  return runs;
}

/** Raises `runs` by the runs in text[from, to): each set's runs lie inside runs of their union, so only union runs long enough are read closely. */
function unionRunsIn(text: string, from: number, to: number, runs: Runs): void {
  const sets = RUN_SETS;
  let run = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && sets[c] !== 0) {
      run++;
      continue;
    }
    if (run >= SHORTEST_RUN_ASKED) longestRunsIn(text, i - run, i, runs);
    run = 0;
  }
  if (run >= SHORTEST_RUN_ASKED) longestRunsIn(text, to - run, to, runs);
}

/** Raises `runs` to the longest runs of each set in text[from, to). */
function longestRunsIn(text: string, from: number, to: number, runs: Runs): void {
  let upperOrDigit = 0;
  let base64 = 0;
  let word = 0;
  let wordOrDash = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    const sets = c < 128 ? (RUN_SETS[c] ?? 0) : 0;
    upperOrDigit = sets & UPPER_OR_DIGIT ? upperOrDigit + 1 : 0;
    base64 = sets & BASE64 ? base64 + 1 : 0;
    word = sets & WORD ? word + 1 : 0;
    wordOrDash = sets & WORD_OR_DASH ? wordOrDash + 1 : 0;
    if (upperOrDigit > runs.upperOrDigit) runs.upperOrDigit = upperOrDigit;
    if (base64 > runs.base64) runs.base64 = base64;
    if (word > runs.word) runs.word = word;
    if (wordOrDash > runs.wordOrDash) runs.wordOrDash = wordOrDash;
  }
}

type Accept = (secret: string, match: RegExpExecArray) => boolean;

/** Words that stand for "no value" in configs and logs; masking them would only inflate the count. */
// Mirrored from src/diagnosis/redact.ts: Slack's markup alone (`_Password:_ …`) is no value either.
const PLACEHOLDER =
  /^(?:null|nil|none|true|false|undefined|redacted|[*_~]+|x+|\$\{?[a-z_][a-z0-9_]{0,60}\}?)$/i;

/** Keys that end in "token" but hold a paging cursor, not a credential. */
const CURSOR_KEY = /(?:page|next|sync|continuation|resume|cursor)token$/;

/** Key endings (letters only, lower case) that name a secret when they end in "key". */
const SECRET_KEY_NAMES =
  /(?:api|secret|access|private|encryption|master|signing|client|consumer|app|auth|subscription|developer|license|account|storage|shared|session|webhook|service)key$/;

/** An environment variable's name ending in _KEY, as written (upper case, digits, underscores). */
const ENV_KEY_NAME = /^-{0,2}[A-Z][A-Z0-9_]{0,60}_KEY$/;

/**
 * For a `key = value` pair: is the key one whose value is a secret? `raw` is the key as written
 * (`DB_PASSWORD`, `clientSecret`, `x-api-key`), `quotedKey` whether it sat in quotes (JSON),
 * `operator` what joined them (`=`, `:`, `=>`…), `quotedValue` whether the value is quoted.
 */
function isSecretKey(raw: string, operator: string, quotedKey: boolean, quotedValue: boolean): boolean {
  const key = raw.toLowerCase().replace(/[^a-z0-9]/g, '');
  // A bare word in prose ("Invalid token: expired", "password: please reset") is not a pair:
  // bare words need `=` (forms, URLs, env) or quotes (JSON, YAML with quoted values).
  const prose = !operator.includes('=') && !quotedKey && !quotedValue;
  const word = /(token|secret|password|passwd|passphrase|assertion|pass|pwd|pw|keyid|key)$/.exec(key)?.[1];
  if (!word) return false;
  const isBareWord = key === word && /^-{0,2}[a-z]+$/i.test(raw);
  if (isBareWord && prose) return false;
  switch (word) {
    case 'token':
      return !CURSOR_KEY.test(key);
    case 'secret':
    case 'password':
    case 'passwd':
    case 'passphrase':
      return true;
    case 'assertion':
      return key.endsWith('clientassertion');
    case 'keyid':
      return key.endsWith('privatekeyid');
    case 'key':
      // An environment variable named …_KEY (STRIPE_KEY, HUBSPOT_KEY) holds a key: env names are how
      // secrets reach a connector's config. Masking a PARTITION_KEY's value too costs nothing.
      return key === 'apikey' || SECRET_KEY_NAMES.test(key) || ENV_KEY_NAME.test(raw);
    default: {
      // "pass" and "pwd" only as a word of their own: DB_PASS, smtpPass, --pass; not bypass, compass.
      const at = raw.length - word.length;
      const before = raw[at - 1] ?? '';
      const first = raw[at] ?? '';
      return at === 0 || /[^a-zA-Z0-9]/.test(before) || (/[a-z0-9]/.test(before) && /[A-Z]/.test(first));
    }
  }
}

/**
 * For `curl -u`: is an offset inside a curl command? A command is a line, with the lines before it
 * that end in a continuation (`\`, PowerShell's backtick, cmd's `^`), as multi-line curl commands
 * are. Worked out once per text, on the first `-u`, so each lookup is a binary search.
 */
function curlCommands(text: string): (offset: number) => boolean {
  let starts: number[] | null = null;
  let curl: boolean[] = [];
  return (offset) => {
    if (starts === null) {
      starts = [0];
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
        if (!/[\\`^][ \t\r]*$/.test(text.slice(Math.max(0, at - 8), at))) starts.push(at + 1);
      }
      const bounds = starts;
      curl = bounds.map((start, i) => /\bcurl\b/i.test(text.slice(start, bounds[i + 1] ?? text.length)));
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return curl[lo] === true;
  };
}

/** A run of path segments (`v4/src/Facebook/RequestException`): all words, not random base64. */
function looksLikePath(s: string): boolean {
  if (s.startsWith('/') || s.includes('//')) return true;
  const parts = s.split('/').filter((p) => p.length >= 3);
  return parts.length >= 2 && parts.every((p) => /^[A-Za-z][a-z]+(?:[A-Z][a-z]+)*\d{0,2}$/.test(p));
}

/** Marks where key=value pairs are masked among the rules (maskSecretPairs, after known shapes). */
const PAIRS = 'pairs';

const RULES: (Rule | typeof PAIRS)[] = [
  // Tokens with a known shape first, so they keep a recognisable stub even inside a key=value pair.
  // JSON Web Tokens (three base64url parts, the first an encoded '{"').
  {
    name: 'jwt',
    possible: (t) => t.text.includes('eyJ'),
    pattern: /(?<![\w-])(eyJ[a-zA-Z0-9_-]{8,}\.[a-zA-Z0-9_-]{8,}\.[a-zA-Z0-9_-]{8,})/g,
    keep: 4,
    group: 1,
  },
  // Meta access tokens.
  {
    name: 'meta',
    possible: (t) => t.text.includes('EAA'),
    pattern: /\b(EAA[a-zA-Z0-9]{20,})/g,
    keep: 4,
    group: 1,
  },
  // Google access and refresh tokens, API keys, OAuth client secrets.
  {
    name: 'google-access',
    possible: (t) => t.text.includes('ya29.'),
    pattern: /\b(ya29\.[a-zA-Z0-9_-]{20,})/g,
    keep: 5,
    group: 1,
  },
  {
    name: 'google-refresh',
    possible: (t) => t.text.includes('1//'),
    pattern: /(?<![\w/])(1\/\/[a-zA-Z0-9_-]{20,})/g,
    keep: 4,
    group: 1,
  },
  {
    name: 'google-api-key',
    possible: (t) => t.text.includes('AIza'),
    pattern: /\b(AIza[a-zA-Z0-9_-]{30,})/g,
    keep: 4,
    group: 1,
  },
  {
    name: 'google-client-secret',
    possible: (t) => t.text.includes('GOCSPX-'),
    pattern: /(?<![a-zA-Z0-9])(GOCSPX-[a-zA-Z0-9_-]{20,})/g,
    keep: 6,
    group: 1,
  },
  // Login with Amazon tokens.
  {
    name: 'amazon',
    possible: (t) => t.text.includes('Atz'),
    pattern: /\b(Atz[ar]\|[a-zA-Z0-9_|.+/=-]{20,})/g,
    keep: 5,
    group: 1,
  },
  // AWS access key ids (gitleaks' prefixes; `_` may precede them in an env value, so no `\b`).
  {
    name: 'aws-key-id',
    possible: (t) => t.runs().upperOrDigit >= 20,
    pattern:
      /(?<![a-zA-Z0-9])((?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16})(?![a-zA-Z0-9])/g,
    keep: 4,
    group: 1,
  },
  // AWS secret access keys: exactly 40 base64 characters. Only with all three character classes
  // and not shaped like a path, so hex digests and `vendor/src/Facebook/…` stay.
  {
    name: 'aws-secret-key',
    possible: (t) => t.runs().base64 >= 40,
    pattern: /(?<![a-zA-Z0-9/+=])([a-zA-Z0-9/+]{40})(?![a-zA-Z0-9/+=])/g,
    keep: 0,
    group: 1,
    accept: (s) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s) && !looksLikePath(s),
  },
  // Google OAuth authorization codes (`code=4/0A…` in a redirect URL).
  {
    name: 'google-auth-code',
    possible: (t) => t.text.includes('4/0'),
    pattern: /(?<![\w/])(4\/0[a-zA-Z0-9_-]{20,})/g,
    keep: 3,
    group: 1,
  },
  // Microsoft Entra (Azure AD) client secrets: three characters, a digit, then `Q~`.
  {
    name: 'azure-secret',
    possible: (t) => t.text.includes('Q~'),
    pattern: /(?<![\w~.-])([a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34})(?![\w~.-])/g,
    keep: 3,
    group: 1,
  },
  // Slack tokens.
  {
    name: 'slack',
    possible: (t) => t.text.includes('xox') || t.text.includes('xapp-'),
    pattern: /\b(xox[abposer]-[a-zA-Z0-9-]{10,}|xapp-[a-zA-Z0-9-]{10,})/g,
    keep: 5,
    group: 1,
  },
  // GitHub (ghp_/gho_/ghu_/ghs_/ghr_, github_pat_), GitLab (glpat-, glptt-, glrt-, gldt-), Stripe
  // secret and restricted keys, npm, Shopify, HubSpot. A `_` may precede them (`TOKEN_ghp_…` is rare,
  // `KEY=sk_live_…` common), so the start is "not after a letter or digit" rather than `\b`.
  {
    name: 'prefixed-key',
    // Every prefix holds a `_` or a `-`: two memchr scans turn away most long identifiers and links
    // before the pattern's own, slower scan.
    possible: (t) => t.runs().wordOrDash >= 18 && (t.text.includes('_') || t.text.includes('-')),
    pattern:
      /(?<![a-zA-Z0-9])((?:gh[pousr]_|github_pat_|glpat-|glptt-|glrt-|gldt-|npm_|shpat_|shpca_|shppa_|pat-na1-|pat-eu1-|sk-proj-|sk-svcacct-|sk-admin-|sk-ant-api\d\d-|sk-ant-admin\d\d-)[a-zA-Z0-9_-]{16,}|[sr]k_(?:live|test|prod)_[a-zA-Z0-9]{10,}|sk-[a-zA-Z0-9]{40,})/g,
    keep: 4,
    group: 1,
  },
  // Mirrored from src/diagnosis/redact.ts.
  // Keys whose prefix is followed by a `.` or a short `-` part, which the run rules below step aside for:
  // SendGrid (`SG.<22>.<43>`) and Mailgun (`key-<32 hex>`), shapes as gitleaks' rules give them; Hugging
  // Face user tokens (`hf_` and 34 letters) are short of the long runs' 32 characters after the prefix.
  {
    name: 'dotted-or-dashed-key',
    possible: (t) => t.text.includes('SG.') || t.text.includes('key-') || t.text.includes('hf_'),
    pattern:
      /(?<![\w.-])(SG\.[a-zA-Z0-9_-]{16,32}\.[a-zA-Z0-9_-]{30,64}|key-[0-9a-f]{32}|hf_[a-zA-Z]{34})(?![\w-])/g,
    keep: 3,
    group: 1,
    // A Hugging Face token mixes cases; 34 lower-case letters after `hf_` are an identifier.
    accept: (s) => !s.startsWith('hf_') || (/[a-z]/.test(s) && /[A-Z]/.test(s)),
  },
  // Slack and Discord webhook URLs (mirrored from src/diagnosis/redact.ts).
  {
    name: 'webhook-url',
    possible: (t) => t.text.includes('hooks.slack.com/') || t.text.includes('/api/webhooks/'),
    pattern:
      /((?:hooks\.slack\.com\/(?:services|workflows|triggers)|discord(?:app)?\.com\/api\/webhooks)\/)([a-zA-Z0-9_/-]{8,})/g,
    keep: 0,
    group: 2,
  },
  // `curl -u user:password` / `--user user:password`, only inside a curl command (curlCommands).
  {
    name: 'curl-user',
    possible: (t) => t.text.includes('-u'),
    pattern: /(?<!\S)((?:-u|--user)(?:\s{0,3}|=)["']?[^\s:"']{1,128}:)([^\s"']{1,256})/g,
    keep: 0,
    group: 2,
    prepare: (text) => {
      const inCurl = curlCommands(text);
      return (_secret, m) => inCurl(m.index);
    },
  },
  // Mirrored from src/diagnosis/redact.ts: the mysql client's password glued to `-p`.
  {
    name: 'mysql-password',
    possible: (t) =>
      (t.text.toLowerCase().includes('mysql') || t.text.toLowerCase().includes('mariadb')) &&
      t.text.includes('-p'),
    pattern: /(?<!\S)(-p)('[^'\n]{1,128}'|"[^"\n]{1,128}"|`[^`\n]{1,128}`|[^\s"'`;|&]{1,128})/g,
    keep: 0,
    group: 2,
    accept: (s, m) => isMysqlPassword(s, m.input, m.index),
  },
  PAIRS,
  // "Authorization: Bearer …" / "Basic …" headers, whatever the token looks like (after the pairs, so
  // a header value can't swallow the key of a pair that follows it in prose).
  {
    name: 'auth-header',
    // Tested with the pattern's own case folding (`i`), so it can't disagree with it.
    possible: (t) => /authorization/i.test(t.text),
    pattern:
      /\b((?:proxy-)?authorization["']?\s{0,2}[:=]\s{0,2}["']?(?:bearer|basic|token|digest)\s+)([^\s"',;]{4,})/gi,
    keep: 0,
    group: 2,
  },
  // Mirrored from src/diagnosis/redact.ts. Cookie headers (`Cookie: a=b; c=d`, `Set-Cookie: …`): a session cookie is a password for as long as it
  // lives, and most are too short for the length rules. Every name=value pair of the header is masked.
  {
    name: 'cookie-header',
    possible: (t) => /cookie/i.test(t.text),
    pattern:
      /\b((?:set-)?cookie["']?\s{0,2}:\s{0,2})([\w.-]{1,64}=[^\s;"']*(?:;\s?[\w.-]{1,64}=[^\s;"']*)*)/gi,
    keep: 0,
    group: 2,
  },
  {
    name: 'bearer',
    possible: (t) => /bearer/i.test(t.text),
    pattern: /\b(bearer\s+)([a-z0-9._~+/=-]{16,})/gi,
    keep: 0,
    group: 2,
  },
  // user:password@host in URLs. The password may hold `/` (people paste it unencoded) but not `:`,
  // so no other URL can start inside it; a port followed by a path (`host:8080/a@b`) is not one.
  {
    name: 'url-password',
    possible: (t) => t.text.includes('://') && t.text.includes('@'),
    pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]{1,64}:)([^\s@:]{1,128})(@)/gi,
    keep: 0,
    group: 2,
    accept: (s) => !/^\d{1,5}\//.test(s),
  },
  // Mirrored from src/diagnosis/redact.ts.
  // A password told in prose ("my password is Summer2024!", "changed the password to Tr0ub4dor&3",
  // "passcode: 482913"): the pairs above take a bare word only with `=` or quotes, since "password:
  // please reset" is prose. Here the value must look like one (isProsePassword, the bot's own), with
  // Slack markup around the label (`*Password:*`, `_Password_:`) read through.
  {
    name: 'prose-password',
    // Tested with the pattern's own case folding (`i`), so it can't disagree with it.
    possible: (t) => /pass|pw/i.test(t.text),
    pattern: new RegExp(PROSE_PASSWORD.source, PROSE_PASSWORD.flags),
    keep: 0,
    group: 4,
    extend: prosePasswordEnd,
    accept: acceptProsePassword,
  },
  // Any other long opaque string that looks like a key: 32+ characters mixing letters and digits.
  {
    name: 'long-key',
    possible: (t) => t.runs().word >= 32,
    pattern: /(?<![\w/.+-])([a-zA-Z0-9_]{32,})(?![\w/+-]|\.\S)/g,
    keep: 4,
    group: 1,
    // A trace or request id (`trace_id: faaf…`) is what a platform's support asks for, not a secret.
    accept: (s, m) => /\d/.test(s) && /[a-zA-Z]/.test(s) && !isTraceId(m.input, m.index),
  },
  // Mirrored from src/diagnosis/redact.ts.
  {
    name: 'long-token',
    possible: (t) => t.runs().wordOrDash >= 40,
    pattern: /(?<![\w/.+%-])((?:[a-zA-Z0-9]{1,4}\.)?[a-zA-Z0-9_-]{40,})(?![\w/+-]|\.\S)/g,
    keep: 4,
    group: 1,
    accept: (s) =>
      /\d/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s) && s.split(/[-_.]/).some((p) => p.length >= 16),
  },
  {
    name: 'mailchimp-key',
    possible: (t) => t.runs().wordOrDash >= 34,
    pattern: /(?<![\w/.+-])([0-9a-f]{32}-us\d{1,2})(?![\w/+-]|\.\S)/g,
    keep: 4,
    group: 1,
  },
  // Mailgun's newer API keys: 32 hex digits and two parts of 8 (not a UUID's 8-4-4-4-12).
  {
    name: 'mailgun-key',
    possible: (t) => t.runs().wordOrDash >= 50,
    pattern: /(?<![\w/.+-])([0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![\w/+-]|\.\S)/g,
    keep: 4,
    group: 1,
  },
];

/** Already masked: whole (`[redacted]`) or as a stub (`ghp_…[redacted]`); a value that another rule
 * masked only in part (`ab4/0…[redacted]cd`) is not, and is masked whole. */
function isMasked(secret: string): boolean {
  if (!secret.endsWith('[redacted]')) return false;
  if (secret === '[redacted]') return true;
  // Slack markup the mask was put inside (`pw:*hunter2*` → `pw:*[redacted]`): masked too.
  if (/^[*_~]{1,2}\[redacted\]$/.test(secret)) return true;
  return /^[\w.|/~-]{1,6}…\[redacted\]$/.test(secret);
}

function maskOne(secret: string, keep: number): string {
  if (isMasked(secret)) return secret;
  return keep > 0 ? secret.slice(0, keep) + MASK : '[redacted]';
}

/** The header of a PEM private key (a pasted service-account JSON carries one); PGP's ends in BLOCK. */
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,30}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = '-----END';
/** What a PEM body is made of: base64 and line breaks, JSON-escaped ones (`\\n`) included; no spaces. */
const isPemBody = (c: string): boolean => /[A-Za-z0-9+/=\r\n\\]/.test(c);

/**
 * Private keys: everything between `-----BEGIN … PRIVATE KEY-----` and the next `-----END`, or to the
 * end of the base64 when the paste was cut short. One pass, so linear in the text.
 */
function maskPrivateKeys(input: string): Redaction {
  let out = '';
  let last = 0;
  let count = 0;
  let nextEnd = -2;
  for (const m of input.matchAll(PEM_BEGIN)) {
    const start = (m.index ?? 0) + m[0].length;
    // Already masked (a key cut short leaves no -----END to find): once is enough.
    if (start <= last || input.startsWith('[redacted]', start)) continue;
    if (nextEnd !== -1 && nextEnd < start) nextEnd = input.indexOf(PEM_END, start);
    let stop = nextEnd;
    if (stop < 0) {
      stop = start;
      while (stop < input.length && isPemBody(input[stop] as string)) stop++;
      // Mirrored from src/diagnosis/redact.ts: a cut key flattened onto one line, 40+ characters a line.
      for (;;) {
        let from = stop;
        while (from < input.length && (input[from] === ' ' || input[from] === '\t')) from++;
        let to = from;
        while (to < input.length && isPemBody(input[to] as string)) to++;
        if (from === stop || to - from < 40) break;
        stop = to;
      }
    }
    out += `${input.slice(last, start)}[redacted]`;
    last = stop;
    count++;
  }
  return count === 0 ? { text: input, count: 0 } : { text: out + input.slice(last), count };
}

/**
 * key=value, "key": "value", KEY=value, key: value pairs whose key names a secret, in snake_case,
 * camelCase, kebab-case or SCREAMING_CASE, with any prefix (DB_PASSWORD, GOOGLE_CLIENT_SECRET,
 * googleRefreshToken, x-api-key). The key (a whole identifier) and the value are read apart: a value
 * is read only after its key was accepted, and a key turned down leaves its value to be read for keys
 * of its own (`token: https://…?access_token=…`), so every character is read a bounded number of times.
 */
/** A PowerShell cmdlet's name, an approved verb, a dash and a noun (the head of its error records). */
const POWERSHELL_CMDLET =
  /^(?:Add|Approve|Clear|Close|Confirm|Connect|Deny|Disable|Disconnect|Enable|Export|Find|Get|Grant|Import|Initialize|Install|Invoke|New|Open|Publish|Read|Register|Remove|Request|Reset|Revoke|Save|Select|Send|Set|Start|Stop|Submit|Sync|Test|Unregister|Update|Use|Write)-[A-Z][A-Za-z0-9]{0,60}$/;
const PAIR_KEY = /(?<![\w.-])(["']?)([\w.-]{1,64})(["']?\s{0,3}(?::=|=>|[:=])\s{0,3})/g;
/** A quoted value runs to its closing quote, an unquoted one to a separator. */
// An unquoted value ends at a backtick too: pasted text often sits in Slack/Markdown code spans.
const PAIR_VALUE = /"([^"\n]{1,512})|'([^'\n]{1,512})|([^\s"'`&,;<>}{]{1,512})/y;
/** Bare words that name a secret only in a `=` pair or in quotes. */
const BARE_SECRET_WORD = /^-{0,2}(?:token|secret|passwd|password|passphrase|pass|pwd|pw|key)$/i;
/** A cheap first look: does an identifier end in a word that can name a secret? */
const SECRET_WORD_END = /(?:token|secret|passwd|password|passphrase|assertion|pass|pwd|pw|key|id)$/i;

/**
 * Whether maskSecretPairs can find anything: a pair needs `:` or `=`, and its key, lower-cased with
 * `_`, `.` and `-` taken out (as isSecretKey reads it), ends in one of these words. A key is ASCII
 * (PAIR_KEY's `[\w.-]`), so ASCII case folding (`i`) is enough: one regex scan, no lower-cased copy.
 */
const PAIR_KEY_WORDS = /token|secret|pass|pw|key|assertion/i;
function pairPossible(facts: TextFacts): boolean {
  const { text } = facts;
  if (!text.includes(':') && !text.includes('=')) return false;
  if (PAIR_KEY_WORDS.test(text)) return true;
  // Otherwise only a key written to end in "id" (SECRET_WORD_END) that isSecretKey reads as "keyid",
  // "key" split up by separators before it (private_ke-y_id): one scan, where taking the separators
  // out of a copy of the text and looking again cost a copy of every line with "id" and a "-" in it.
  return SPLIT_KEY_ID.test(text);
}
/** "key" and "id" with separators anywhere between their letters but inside "id" (SECRET_WORD_END). */
const SPLIT_KEY_ID = /k[_.-]*e[_.-]*y[_.-]*id/i;

const CODE_CALL = /(?:await |new )?[A-Za-z_$](?:[\w$.]|->){0,80}\(/y;
const SPACED_CODE_CALL = /(?:await |new )?[A-Za-z_$](?:[A-Za-z_$.]|->){0,80} \([A-Z$"')]/y;
function isCodeAssignment(text: string, keyAt: number, key: string, operator: string): boolean {
  return /^ +=(?!=) +$/.test(operator) && (text[keyAt - 1] === '$' || /[a-z][A-Z]/.test(key));
}
function isCall(text: string, at: number): boolean {
  CODE_CALL.lastIndex = at;
  SPACED_CODE_CALL.lastIndex = at;
  return CODE_CALL.test(text) || SPACED_CODE_CALL.test(text);
}

function maskSecretPairs(text: string): Redaction {
  let out = '';
  let last = 0;
  let count = 0;
  PAIR_KEY.lastIndex = 0;
  for (let m = PAIR_KEY.exec(text); m !== null; m = PAIR_KEY.exec(text)) {
    const [head, quote = '', key = '', operator = ''] = m;
    if (!SECRET_WORD_END.test(key)) continue;
    // PowerShell prints an error as "<Verb-Noun> : <message>": `New-PartnerAccessToken : AADSTS50078: …`
    // is a cmdlet's error, not a pair, and its message (the error code first) is not a secret.
    if (!quote && /^\s/.test(operator) && POWERSHELL_CMDLET.test(key)) continue;
    const valueAt = m.index + head.length;
    const next = text[valueAt];
    const valueQuote = next === '"' || next === "'" ? next : '';
    // The key decides first, so a value is read only for a key that names a secret. A bare word
    // joined by a colon in prose ("Invalid token: expired") is the common case: turned down at once.
    if (!quote && !valueQuote && !operator.includes('=') && BARE_SECRET_WORD.test(key)) continue;
    if (!isSecretKey(key, operator.replace(/["'\s]/g, ''), quote !== '', valueQuote !== '')) continue;
    PAIR_VALUE.lastIndex = valueAt;
    const v = PAIR_VALUE.exec(text);
    if (v === null) continue;
    const value = v[1] ?? v[2] ?? v[3] ?? '';
    // A colon right after an unquoted value opens the next clause (`password=hunter2: authentication
    // failed`, `sh: 1: API_KEY=…: not found`): the value is what comes before it, and the colon stays.
    const clauseColon = !valueQuote && value.length > 1 && value.endsWith(':');
    const secret = clauseColon ? value.slice(0, -1) : value;
    if (isMasked(secret) || PLACEHOLDER.test(secret)) continue;
    // Mirrors redact.ts: a code-style assignment of a call's result is not a secret.
    if (!valueQuote && isCodeAssignment(text, m.index + quote.length, key, operator) && isCall(text, valueAt))
      continue;
    // `auth_token: accessToken: …`, `ApiKey': DB_PASSWORD="…"`: the "value" is the next pair's key;
    // turn it down so that pair is the one masked, value and all.
    // Quoted, the next pair's key ends the "value" (`token => "190 CLIENT_SECRET="s3cr3t"`): its
    // closing quote is really the opening quote of the secret.
    const keyLike = !valueQuote ? value : value.endsWith('=') ? value.slice(value.lastIndexOf(' ') + 1) : '';
    // In Slack markup too (`token: *Password:* …`).
    const nextKey = /^([a-z_][\w.-]*)[:=]$/i.exec(keyLike.replace(/[*~]/g, ''))?.[1];
    if (nextKey && isSecretKey(nextKey, '=', false, false)) continue;
    // Mirrors redact.ts: a value that is a password's label stating a password is left to the prose rule.
    if (!valueQuote && opensProsePassword(text, valueAt, valueAt + secret.length)) continue;
    // A PEM key (masked before) or the shell's working directory (`PWD=/home/…`): not read again.
    if (value.startsWith('-----') || (/^(?:old)?pwd$/i.test(key) && /^[/~]/.test(value))) {
      PAIR_KEY.lastIndex = valueAt + v[0].length;
      continue;
    }
    count++;
    out += `${text.slice(last, valueAt)}${valueQuote}[redacted]`;
    last = valueAt + v[0].length - (clauseColon ? 1 : 0);
    PAIR_KEY.lastIndex = last;
  }
  return count === 0 ? { text, count } : { text: out + text.slice(last), count };
}

function applyRule(rule: Rule, text: string): Redaction {
  const accept = rule.prepare ? rule.prepare(text) : rule.accept;
  const re = rule.pattern;
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let count = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const secret = m[rule.group];
    let before = 0;
    for (let g = 1; g < rule.group; g++) before += m[g]?.length ?? 0;
    if (secret === undefined || isMasked(secret) || (accept && !accept(secret, m))) {
      // Look again from where the secret started: it may hold what another match of this rule wants.
      re.lastIndex = m.index + Math.max(1, before);
      continue;
    }
    count++;
    const at = m.index + before;
    out += text.slice(last, at) + maskOne(secret, rule.keep);
    last = rule.extend ? rule.extend(text, at + secret.length, secret) : at + secret.length;
    if (re.lastIndex < last) re.lastIndex = last;
  }
  return count === 0 ? { text, count } : { text: out + text.slice(last), count };
}

/**
 * `checkFirst: false` runs every rule's pattern whatever its cheap check says (for the test that
 * shows the checks never change an answer).
 */
export function redactSecrets(
  input: string,
  { checkFirst = true }: { checkFirst?: boolean } = {},
): Redaction {
  // Escaped JSON (`\"client_secret\":\"…\"`, `\u003d`) is read unescaped, up to six levels deep (JSON
  // logged inside JSON, three levels, is common), so a secret looks the same to the rules whichever
  // way it was quoted; the classifier reads this unescaped text and unescapes nothing more.
  const unescaped = input.includes('\\') ? unescapeJsonish(input, UNESCAPE_LEVELS) : input;
  const keys =
    !checkFirst || unescaped.includes('-----BEGIN ')
      ? maskPrivateKeys(unescaped)
      : { text: unescaped, count: 0 };
  let text = keys.text;
  let count = keys.count;
  let facts = new TextFacts(text);
  for (const rule of RULES) {
    if (checkFirst && !(rule === PAIRS ? pairPossible(facts) : rule.possible(facts))) continue;
    const result = rule === PAIRS ? maskSecretPairs(text) : applyRule(rule, text);
    if (result.count > 0) {
      text = result.text;
      count += result.count;
      facts = new TextFacts(text);
    }
  }
  return { text, count };
}
