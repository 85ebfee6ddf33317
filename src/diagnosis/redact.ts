/**
 * Masks pasted secrets before anything else sees the text. Each rule keeps a short, recognisable
 * stub ("EAAG…[redacted]") so an agent can still tell which kind of token was pasted.
 * All patterns are linear-time (checked by test/diagnosis/regex-safety.test.ts).
 *
 * Shapes follow the public gitleaks / trufflehog rule sets (as facts: prefixes, lengths, alphabets).
 */
import { unescapeJsonish } from './normalize';
import { utf8, WordFilter } from './word-filter';

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
  /**
   * Literals one of which (in any case) `possible` needs to say yes; none for the checks that ask for
   * something else (a long run). See MASK_CUES.
   */
  cues?: readonly string[];
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

/**
 * Every literal a rule's cheap check looks for. One regex scan for any of them is much cheaper than a
 * dozen `includes` (most chat holds none), so each check asks it first (TextFacts.has).
 */
const SHAPE_LITERALS = [
  'eyJ',
  'EAA',
  'ya29.',
  '1//',
  'AIza',
  'GOCSPX-',
  'Atz',
  '4/0',
  'Q~',
  'xox',
  'xapp-',
  '-u',
  'hooks.slack.com/',
  '/api/webhooks/',
  'SG.',
  'key-',
  'hf_',
] as const;
type ShapeLiteral = (typeof SHAPE_LITERALS)[number];
export const ANY_SHAPE_LITERAL = new RegExp(
  SHAPE_LITERALS.map((l) => l.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'),
);

/** What the rules' cheap checks read, each worked out at most once per version of the text. */
class TextFacts {
  private runsFound: Runs | null = null;
  private anyLiteral: boolean | null = null;
  constructor(readonly text: string) {}
  runs(): Runs {
    this.runsFound ??= longestRuns(this.text);
    return this.runsFound;
  }
  /** Whether the text holds `literal`: none of the literals at all (one scan) answers no for all of them. */
  has(literal: ShapeLiteral): boolean {
    this.anyLiteral ??= ANY_SHAPE_LITERAL.test(this.text);
    return this.anyLiteral && this.text.includes(literal);
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

/** The shortest run a check asks for (prefixed keys' wordOrDash >= 18; the others ask for 20, 32, 34, 40). */
const SHORTEST_RUN_ASKED = 18;

/** The last text longestRuns read and its runs: analyze's quiet check and the redactor ask for the same text's. */
let runsOf: { text: string; runs: Runs } | null = null;

function longestRuns(text: string): Runs {
  if (runsOf?.text === text) return runsOf.runs;
  const runs = readRuns(text);
  runsOf = { text, runs };
  return runs;
}

function readRuns(text: string): Runs {
  // Read on the text's UTF-8 bytes (word-filter.ts, shared with the filters that read the same text):
  // the run sets are ASCII and every byte of a non-ASCII character is 0x80 or more, in no set, so the
  // runs are the text's, of the same lengths; and a typed array reads at the same speed whatever the
  // string's representation (charCodeAt on the cons and sliced strings a message often is did not).
  const bytes = utf8(text);
  const runs: Runs = { upperOrDigit: 0, base64: 0, word: 0, wordOrDash: 0 };
  // Any SHORTEST_RUN_ASKED characters in a row hold one index `at` with at % STEP === STEP - 1, so only
  // those characters are looked at (one in 18: in chat, mostly inside short words), and the union run
  // through each is measured; a run long enough is then read closely. Each character is read a bounded
  // number of times: the next look is past the run just measured.
  const STEP = SHORTEST_RUN_ASKED;
  const length = bytes.length;
  for (let at = STEP - 1; at < length; at += STEP) {
    if (!inSomeRun(bytes, at)) continue;
    let from = at;
    while (from > 0 && inSomeRun(bytes, from - 1)) from--;
    let to = at + 1;
    while (to < length && inSomeRun(bytes, to)) to++;
    if (to - from >= SHORTEST_RUN_ASKED) longestRunsIn(bytes, from, to, runs);
    // Step past this run: a look further inside it would measure it again.
    while (at + STEP < to) at += STEP;
  }
  return runs;
}

/** Whether bytes[at] belongs to one of the run sets (their union). */
function inSomeRun(bytes: Uint8Array, at: number): boolean {
  const c = bytes[at] as number;
  return c < 128 && RUN_SETS[c] !== 0;
}

/** Raises `runs` to the longest runs of each set in bytes[from, to). */
function longestRunsIn(bytes: Uint8Array, from: number, to: number, runs: Runs): void {
  let upperOrDigit = 0;
  let base64 = 0;
  let word = 0;
  let wordOrDash = 0;
  for (let i = from; i < to; i++) {
    const c = bytes[i] as number;
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

/**
 * Words that stand for "no value" in configs and logs (masking them would only inflate the count), and
 * Slack's markup alone (`*`, `_`, `~`): the bold or italic closing a label (`_Password:_ …`) is not its
 * value, which follows it.
 */
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
      // "pass", "pwd" and "pw" only as a word of their own: DB_PASS, smtpPass, --pass, DB_PW; not
      // bypass, compass.
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

/**
 * Shaped like an error code or an identifier rather than a password: capitals then digits (AADSTS50126,
 * E401, ERR_403), snake_case or SCREAMING_CASE words (invalid_grant, INVALID_CREDENTIALS).
 */
function looksLikeCode(value: string): boolean {
  return (
    /^[A-Z]{1,12}[_-]?\d{2,8}$/.test(value) ||
    /^[a-z]+(?:_[a-z]+)+$/.test(value) ||
    /^[A-Z]+(?:_[A-Z0-9]+)+$/.test(value)
  );
}

/**
 * Words of 4+ letters that follow "password is" / "password:" in error prose, UI text and docs rather
 * than a password (from the tune corpus, login forms and the phrasing of error messages): a value of
 * letters only is masked only when it is none of these (nor shaped like them: isEnglishProse).
 */
const PROSE_WORDS = new Set(
  `about above absent accepted account active actually after again against almost alphanumeric already
  also always another anything anyway apparent apparently around ascii automatically away back
  basically because been before behind being below both broken built cached cannot case catalog
  certain certainly change changes character characters choose clear clearly cleartext click close
  code common completely complex confirm connection consistent constantly continue copy correct
  correctly create credential credentials current currently database dataset default definetely
  definitely dependent different difficult digits does doesn domain done down during each easy either
  else email empty encoded encrypted enough enter entered entirely error errors even eventually ever
  every everything exactly expiration expire expired expires expiring expiry fail fails failure false
  field finally fine first forbidden forget forgot forgotten form found frequently from fully
  generally generic given going gone gonna good gotta great hard hash hashed held help here hidden
  hide hopefully host hostname however identical immediately important inactive inconsistent incorrect
  incorrectly independent initially input instance insufficient intermittently into invalid irrelevant
  just keep keeps kept kinda known last least left length less letters like likely literally locally
  locked login logon long longer lost lowercase made managed mandatory manually many match matches
  maximum maybe mine minimum mismatch missing more most mostly much must name necessary need needed
  needs never newer newly next none normally nothing null numbers numeric obviously occasionally often
  okay older once only optional other ours outdated over paid passcode passphrase password passwords
  perfect perhaps periodically permanently persistent personal plain plaintext please policy port
  possible possibly present presumably previous previously private probably project prompt proper
  properly provided public quite random randomly rarely rather ready really realm recent recently
  region relevant remember removed repeatedly required requirements reset right role rules said same
  saved schema screen secure securely seemingly sensitive sent separate server short shorter show
  shown sign signin silently similar simple simply since slightly some somehow something sometimes
  somewhere special specific specify stale stay still stolen stored string strong stronger stuck
  submit such suddenly sufficient supposed supposedly sure surely symbols taken technically
  temporarily temporary tenant text than that their theirs them then there these they this those
  though through together token told totally transparent true truly type typed typically unchanged
  under unicode unique unknown unless unlike unlikely unset until update updated uppercase user
  username usually valid varchar very visible warehouse weak weaker what whatever when where whether
  which while will with within without wont working would written wrong wrongly your yours`.split(/\s+/),
);

/**
 * More words that follow "password:" / "password is" rather than a password: what a form or a log says
 * of the value (`Password: blank`, "the password is insecure"), a sign-in method named where a password
 * would be (`Password: Kerberos`, `OAuth`, `OIDC`, `FIDO`, `PASSKEY`), a result or a strength meter's word
 * (`Password: SUCCESS`, `TIMEOUT`, `LOCKOUT`, `MEDIUM`, `POOR`), Playwright's browser projects (`PW: chromium`), and the
 * error and status words of the other languages the bot reads (German, French, Spanish, Portuguese,
 * Italian, Dutch, Polish: `Passwort: falsch`, `Password: incorrecto`, `expiré`, `verlopen`).
 */
const STATUS_WORDS = new Set(
  `blank insecure obsolete secret safe unsafe weird strange odd bogus compromised leaked reused same
  value unavailable unsupported disabled enabled
  ldap saml kerberos oauth ntlm sso otp totp mfa radius negotiate basic digest certificate cert
  oidc adfs fido passkey okta entra yubikey smartcard pki tacacs pkce hmac bcrypt
  success timeout status auth lockout notset temp medium poor
  chromium firefox webkit chrome safari edge
  falsch ungültig ungueltig abgelaufen erforderlich fehlerhaft gesperrt leer korrekt richtig vergessen
  geändert zurückgesetzt abgelehnt unbekannt fehlt ungültiges falsches
  incorrect incorrecte invalide expiré expirée expire erroné erronée obligatoire requis vide oublié
  bloqué verrouillé refusé inconnu modifié changé réinitialisé manquant faux mauvais
  incorrecto incorrecta inválido inválida invalido invalida caducado caducada expirado expirada vencido
  vencida erróneo errónea obligatorio requerido vacío bloqueado olvidado cambiado restablecido
  desconocido
  incorreto incorreta errado errada obrigatório vazio esquecido alterado redefinido
  errato errata scaduto scaduta sbagliato sbagliata obbligatorio bloccato vuoto dimenticato
  modificato reimpostato
  onjuist ongeldig verlopen verkeerd vereist geblokkeerd leeg vergeten gewijzigd fout
  nieprawidłowe nieprawidłowy nieprawidłowa niepoprawne niepoprawny błędne błędny wygasło wygasłe
  wymagane zablokowane puste`.split(/\s+/),
);

/**
 * Whether a word of letters only reads as prose after "password is" rather than as a password: a word
 * of PROSE_WORDS (adverbs are listed there: names and nouns end in -ly too, Emily, dragonfly) or of
 * STATUS_WORDS, an -ed or -ing participle ("rejected", "working") or an -able/-ible adjective of 6+
 * letters ("usable"; not table, bible), which the messages use far more than passwords do.
 */
function isEnglishProse(word: string): boolean {
  const w = word.toLowerCase();
  return (
    PROSE_WORDS.has(w) ||
    STATUS_WORDS.has(w) ||
    (w.length >= 5 && (w.endsWith('ed') || w.endsWith('ing'))) ||
    (w.length >= 6 && (w.endsWith('able') || w.endsWith('ible')))
  );
}

/** An English contraction's ending ("it's", "don't", "we're"): the value is a clause, not a password. */
const CONTRACTION = /['’](?:s|t|re|ll|ve|d|m)$/i;

/**
 * Whether a value is letters only, with single hyphens or apostrophes between them (`hunter`,
 * `purple-monkey`, `o'hara`, `hunter-two`): Latin letters of any language (`expiré`, `nieprawidłowe`).
 * The parts are split apart (a loop, not one nested pattern).
 */
function isLettersValue(core: string): boolean {
  const parts = core.split(/['’-]/);
  return parts.every((part) => part.length > 0 && /^\p{Script=Latin}+$/u.test(part));
}
/**
 * Prefixes English writes with a hyphen before a word (`re-entered`, `auto-generated`, `non-expiry`): as
 * the first part of a hyphenated value, one of these reads as prose when the rest does. (Not `super`:
 * "super-secret" is a password people use.)
 */
const HYPHEN_PREFIXES = new Set(
  `re pre un non co de mis auto self semi multi sub anti over under one two single double half well ill
  post inter intra`.split(/\s+/),
);

/**
 * Whether such a value reads as prose: a contraction, or every part a prose word (`case-sensitive`,
 * `long-lived`), the first also one of HYPHEN_PREFIXES (`re-entered`, `auto-generated`). One part that is
 * not prose makes it a password (`super-secret`, `purple-monkey`).
 */
function isProseValue(core: string): boolean {
  if (CONTRACTION.test(core)) return true;
  const parts = core.split(/['’-]/);
  return parts.every(
    (part, i) =>
      isEnglishProse(part) || (i === 0 && parts.length > 1 && HYPHEN_PREFIXES.has(part.toLowerCase())),
  );
}

/**
 * Words that carry the clause on after the word that follows "password's" ("the password's value is
 * wrong", "the password's complexity does not match"): "password's" is then a possessive and the word
 * the subject, not a stated password ("the password's hunter", "the password's hunter, same error").
 * Only after "password's": after "password:" or "password is", a word is the value whatever follows it
 * ("Password: hunter is what I typed").
 */
const CLAUSE_GOES_ON = new Set(
  `is isn isnt was wasn wasnt are aren were has hasn had have does doesn doesnt did didn do don dont
  can cannot cant could should must will wont would may might seems seem looks keeps gets got needs
  appears fails works field box prompt policy option setting settings requirement requirements`.split(/\s+/),
);

/**
 * Nouns of what a password has, not prose by themselves (those are in the stop lists): after "password's"
 * and before a word that carries the clause on, one of these is the possessive's noun ("the password's
 * complexity does not match", "the password's strength is low"); any other word there is a stated
 * password ("the password's hunter is what I typed").
 */
const PASSWORD_ATTRIBUTES = new Set(
  `complexity strength salt age lifetime history format owner rotation requirement entropy quality score
  status state validity hint label manager vault file mask encoding encryption checksum digest size
  charset spelling contents content change owners holder`.split(/\s+/),
);

/** Whether the word after a value (at `end`, on its line) carries the clause on (CLAUSE_GOES_ON). */
function clauseGoesOn(text: string, end: number): boolean {
  const next = /^[ \t]{1,3}([A-Za-z]{1,12})(?![A-Za-z])/.exec(text.slice(end, end + 20));
  return next !== null && CLAUSE_GOES_ON.has((next[1] as string).toLowerCase());
}

/**
 * Words of the messages a login quotes (`password is “invalid authentication”`, `password is "too
 * weak"`, `"must be changed"`): a quoted phrase of plain words holding one of them is what the login
 * said, not a pass-phrase.
 */
const MESSAGE_WORDS = new Set(
  `access account again attempt attempts auth authenticate authentication authorization bad blocked
  cannot check code contact credential credentials denied disabled email enter error errors expire
  expired expires fail failed fails failure forbidden incorrect invalid locked login logon mismatch
  missing not password passwords please rejected required reset revoked session sign signin token
  try unable unauthorized unknown user username valid verify wrong
  too must weak short changed change does doesn don match matches
  character characters minimum maximum least letters digits symbols number numbers uppercase
  lowercase special contain contains empty blank same expiring needs need should`.split(/\s+/),
);

/**
 * A quoted pass-phrase of plain words ("correct horse battery staple", "purple  monkey", "my 2 dogs are
 * cute"): 2 to 8 lower-case words of letters and digits, split on any run of white space, none a word of
 * the messages a login quotes. A capital anywhere makes it read as a quoted message ("Invalid
 * Authentication"), so it stays.
 */
function isPassPhrase(inner: string): boolean {
  const words = inner.trim().split(/\s+/);
  if (words.length < 2 || words.length > 8) return false;
  return words.every((w) => /^[a-z0-9]+$/.test(w) && !MESSAGE_WORDS.has(w));
}

/** Slack markup around a label (`*Password:*`, `_Password_:`): read through, as the words it marks. */
const MARKUP = /[*_~]/g;

/**
 * Joints that state a value ("password is", "password is now", "password:", "password's"), with Slack
 * markup around the colon: the only ones after which a value of letters only is taken for a password
 * (not "was", "has been", "to").
 */
function statesValue(joint: string): boolean {
  return /^(?:\s{0,3}:\s{0,3}|\s{1,3}is(?:\s{1,3}now)?\s{0,3}:?\s{1,3}|['’]s\s{1,3})$/i.test(
    joint.replace(MARKUP, ''),
  );
}

/**
 * "pass" that is not a password: Go's test output (`--- PASS: TestTokenRefresh`) and a ticket or a
 * pass of another kind ("Boarding pass: Gold", "day pass is …").
 */
function isOtherPass(text: string, keyAt: number): boolean {
  const before = text.slice(Math.max(0, keyAt - 12), keyAt);
  return (
    /(?:^|\s)-{3} $/.test(before) ||
    /(?:boarding|day|season|bus|guest|visitor|hall|ski)\s{1,3}$/i.test(before)
  );
}

/** What a value told after "password" says by itself, whatever its label and its place (valueKind). */
const NOT_A_PASSWORD = 0;
/** Quoted, a password wherever it is told. */
const QUOTED = 1;
/** A quoted pass-phrase of plain words: a password only stated ("password is '…'"). */
const QUOTED_PHRASE = 2;
/** A digit, a symbol or an inner capital: a password unless it is a call in code. */
const STRONG = 3;
/** Letters only, not prose: a password only stated, on the same line, and not a call in code. */
const LETTERS = 4;
/** The same, but a noun of what a password has (PASSWORD_ATTRIBUTES): after "password's", maybe its noun. */
const LETTERS_NOUN = 5;
type ValueKind =
  | typeof NOT_A_PASSWORD
  | typeof QUOTED
  | typeof QUOTED_PHRASE
  | typeof STRONG
  | typeof LETTERS
  | typeof LETTERS_NOUN;

/**
 * The checks of isProsePassword that read the value alone (the stop lists, the shapes of codes, labels
 * and placeholders): their answer depends on nothing else, so a text that tells the same value many
 * times has it worked out once (ProsePasswordMemo).
 */
function valueKind(value: string): ValueKind {
  if (/^["'`“‘]/.test(value)) {
    // Quoted: a value, unless already masked, a placeholder or an error code; with spaces, a short one
    // with a digit or a symbol, or, stated ("password is '…'"), a pass-phrase of plain lower-case words:
    // `password is “Invalid Authentication”` quotes what the login said.
    const inner = value.slice(1, -1);
    if (isMasked(inner) || PLACEHOLDER.test(inner) || looksLikeCode(inner)) return NOT_A_PASSWORD;
    if (!/\s/.test(inner)) return QUOTED;
    if (inner.split(/\s+/).length < 4 && /[\d!#$%&*+=?@^~]/.test(inner)) return QUOTED;
    return isPassPhrase(inner) ? QUOTED_PHRASE : NOT_A_PASSWORD;
  }
  // Trailing punctuation ends the sentence, not the password (a loop: an anchored `[…]+$` is quadratic).
  let end = value.length;
  while (end > 0 && '.,;:!?)]'.includes(value[end - 1] as string)) end--;
  const core = value.slice(0, end);
  // Masked already, in Slack markup or not (`pw:*[redacted]`, redacted again): no password left.
  if (isMasked(core)) return NOT_A_PASSWORD;
  if (core.length < 4 || PLACEHOLDER.test(core) || /^[/~]/.test(core) || core.includes('://'))
    return NOT_A_PASSWORD;
  // An error code told after "password" ("the error after the password is AADSTS50126", "Password:
  // invalid_grant") is what a diagnosis reads; a YAML tag (`password: !secret …`) names where one is kept.
  if (looksLikeCode(core) || core.startsWith('!secret')) return NOT_A_PASSWORD;
  // The next label, in Slack markup or not (`password: *Password:* …`, `Password: _Pass_:`): its value
  // follows it, and is read from there.
  if (/^[A-Za-z]+:+$/.test(value.replace(MARKUP, ''))) return NOT_A_PASSWORD;
  const letters = isLettersValue(core);
  // A digit, a symbol (a letter of another script too, as before) or an inner capital: a password.
  if (/\d/.test(core) || (!letters && /[^A-Za-z0-9'’-]/.test(core)) || /[a-z][A-Z]/.test(core)) return STRONG;
  // Letters only ("Password: hunter", "password: purple-monkey", "o'hara"): not prose (an English word of
  // what follows "password is", a status word of another language, a contraction, a sign-in method's
  // acronym: `Password: LDAP`; all capitals are read as the same word in small letters, so `EXPIRED`
  // stays and `LETMEIN` is masked).
  if (!letters || isProseValue(core)) return NOT_A_PASSWORD;
  // A noun of what a password has, with no punctuation after it, may be a possessive's noun (below).
  return end === value.length && PASSWORD_ATTRIBUTES.has(core.toLowerCase()) ? LETTERS_NOUN : LETTERS;
}

/**
 * What the prose-password rule has worked out for one text: each value's kind and each joint's
 * statesValue, so the stop lists and the shape checks run once per distinct value, not once per match
 * (40,000 characters of "password: hunter " were 2,353 times the same checks).
 */
export interface ProsePasswordMemo {
  kinds: Map<string, ValueKind>;
  states: Map<string, boolean>;
}

/**
 * For the prose-password rule: does a value told after "password is" look like a password? (Exported for
 * test/diagnosis/redact-before.ts, which reuses it.)
 */
export function isProsePassword(
  value: string,
  text: string,
  keyAt: number,
  at: number,
  joint: string,
  memo?: ProsePasswordMemo,
): boolean {
  const labelLength = at - joint.length - keyAt;
  let stated = memo?.states.get(joint);
  if (stated === undefined) {
    stated = statesValue(joint);
    memo?.states.set(joint, stated);
  }
  // "pw" and "pass" name a password only stating one ("pw is …", "pass: …"): "pass to the team",
  // "the pass was …" are other words.
  if (labelLength <= 4) {
    const key = text.slice(keyAt, keyAt + labelLength).toLowerCase();
    if ((key === 'pw' || key === 'pass') && !stated) return false;
    if (key === 'pass' && isOtherPass(text, keyAt)) return false;
  }
  // "password to" names a new value only after changing or setting it ("changed my password to …");
  // otherwise it is what the password is for ("app password to push/pull", "my password to O365").
  if (
    !stated &&
    /\sto\s/i.test(joint) &&
    !/(?:chang|set|reset|updat)/i.test(joint) &&
    !/\b(?:chang|set|reset|updat)\w{0,4}\b[^.\n]{0,24}$/i.test(text.slice(Math.max(0, keyAt - 40), keyAt))
  )
    return false;
  let kind = memo?.kinds.get(value);
  if (kind === undefined) {
    kind = valueKind(value);
    memo?.kinds.set(value, kind);
  }
  switch (kind) {
    case NOT_A_PASSWORD:
      return false;
    case QUOTED:
      return true;
    case QUOTED_PHRASE:
      return stated;
    case STRONG:
      return !isCall(text, at);
    default:
      // Letters only: only stated, on the same line, not a call in code and not the noun of a possessive
      // "password's" ("the password's complexity does not match"; punctuation after it ends the clause).
      return (
        stated &&
        !joint.includes('\n') &&
        !isCall(text, at) &&
        !(
          kind === LETTERS_NOUN &&
          /^['’]s/.test(joint.replace(MARKUP, '')) &&
          clauseGoesOn(text, at + value.length)
        )
      );
  }
}

/** Whether the text just before `at` names a trace or request id (`trace_id: `, `"request_id":"`). */
export function isTraceId(text: string, at: number): boolean {
  return /(?:trace|request|correlation|span)[_-]?id["']?\s{0,2}[:=]\s{0,2}["']?$/i.test(
    text.slice(Math.max(0, at - 24), at),
  );
}

/**
 * A mysql or mariadb client named as a command (`mysql`, `mysqldump`, `mariadb-dump`, `mariadb-admin`,
 * `/usr/bin/mysql`, `C:\>mysql.exe`): at the start, after a space, a quote, a parenthesis or a prompt's
 * `>`, or in a `bin` folder; not a path that ends in the name (`tar -C /var/lib/mysql -pcf …`).
 */
const MYSQL_CLIENT = /(?:^|[\s"'`(>]|bin[/\\])(?:mysql|mariadb)(?:-?[a-z]{1,8})?(?:\.exe)?["'`]?\s/i;

/** A mysql or mariadb client named by a path (`/opt/mysql`, `./mysql`, `~/bin/mariadb-dump`, `.\mysql.exe`). */
const MYSQL_PATH = /[\\/](?:mysql|mariadb)(?:-?[a-z]{1,8})?(?:\.exe)?["'`]?$/i;
/** What may come before a command's program: a prompt's last word (`$`, `user@host:~$`, `C:\>`), a wrapper. */
const PROMPT_WORD = /[$#%>]$/;
const MYSQL_IN_PATH = /[\\/](?:mysql|mariadb)/i;
const WRAPPER_WORD = /^(?:sudo|doas|exec|time|nohup|env|command|nice|timeout|PS)$/;
/** A wrapper's options that take the next word as their argument (`sudo -u root`, `nice -n 10`). */
const WRAPPER_OPTION_WITH_ARGUMENT = /^-[ugnCkrsp]$/;

/**
 * Whether a command's program (its first word, or the first after the last prompt in it, past `sudo`,
 * `env` or `VAR=value` assignments) is a mysql or mariadb client named by any path (`/opt/mysql
 * -pS3cret`, `$ ./mysql`): only the program, so a path that is another command's argument (`tar -C
 * /var/lib/mysql -pcf …`) is not one. `command` is a bounded stretch (isMysqlPassword).
 */
function programIsMysqlPath(command: string): boolean {
  // Most commands name no client by a path: one scan says so before the words are read.
  if (!MYSQL_IN_PATH.test(command)) return false;
  let program = false;
  let expectProgram = true;
  // After a wrapper, its options (`sudo -E`, `env -i`), their arguments (`sudo -u root`) and a number
  // (`timeout 10`, `nice -n 10`) come before the program.
  let afterWrapper = false;
  let skipNext = false;
  for (const raw of command.split(/[ \t]+/)) {
    // A prompt glued to the program (`C:\Tools>.\mysql.exe`): the program is what follows its `>`.
    const word = raw.slice(raw.lastIndexOf('>') + 1).replace(/^["'`(]/, '');
    // A code span opened in prose (``Running `./mysql -u root -p…` ``): a command starts there.
    if (raw.startsWith('`')) {
      expectProgram = true;
      afterWrapper = false;
      skipNext = false;
    }
    if (PROMPT_WORD.test(raw)) {
      expectProgram = true;
      continue;
    }
    if (!expectProgram || word === '') continue;
    if (skipNext) {
      skipNext = false;
      continue;
    }
    if (WRAPPER_WORD.test(word)) {
      afterWrapper = true;
      continue;
    }
    if (afterWrapper && (word.startsWith('-') || /^\d+[smhd]?$/.test(word))) {
      skipNext = WRAPPER_OPTION_WITH_ARGUMENT.test(word);
      continue;
    }
    if (/^[A-Za-z_]\w{0,60}=/.test(word)) continue;
    program = MYSQL_PATH.test(word);
    expectProgram = false;
  }
  return program;
}

/**
 * For `-p<password>`: is the `-p` at `at` an option of a mysql or mariadb client named before it in the
 * same command (by its name anywhere, or by any path as the command's program: programIsMysqlPath), on
 * its line, at most 200 characters back (so each match reads a bounded stretch), and after the last
 * `;`, `|` or `&` outside quotes (`mysql -u root -p; find / -path /tmp` ends the mysql command before
 * `-path`); and the value not a variable? (Exported for
 * test/diagnosis/redact-before.ts, which reuses it.)
 */
export function isMysqlPassword(value: string, text: string, at: number): boolean {
  // The line's start within the 200 characters before: looked for in that stretch only (lastIndexOf
  // would read back to the text's start on a long line, once per `-p`, quadratic on 40,000 characters).
  let from = Math.max(0, at - 200);
  for (let i = at - 1; i >= from; i--) {
    if (text[i] === '\n') {
      from = i + 1;
      break;
    }
  }
  // The command's start: past the last separator outside quotes (a loop over the bounded stretch).
  let start = from;
  let quote = '';
  for (let i = from; i < at; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === ';' || c === '|' || c === '&') start = i + 1;
  }
  const command = text.slice(start, at);
  if (!MYSQL_CLIENT.test(command) && !programIsMysqlPath(command)) return false;
  const bare = /^["'`]/.test(value) ? value.slice(1, -1) : value;
  return !isMasked(bare) && !PLACEHOLDER.test(bare);
}

/**
 * The prose-password rule's pattern and check (the label, Slack markup around it, the joint, the value),
 * shared with test/diagnosis/redact-before.ts.
 */
export const PROSE_PASSWORD =
  /(?<![A-Za-z0-9_])([*_~]{0,2})(pass(?:word|wd|code|phrase)|pwd|pw|pass)([*_~]{0,2}(?:\s{1,3}(?:is|was|has been|got)(?:\s{1,3}(?:now|changed|reset|set|updated))?(?:\s{1,3}to)?\s{0,3}:?\s{1,3}|\s{1,3}(?:set\s{1,3})?to\s{1,3}|\s{0,3}:[*_~]{0,2}\s{0,3}|['’]s\s{1,3}))("[^"\n]{1,128}"|'[^'\n]{1,128}'|`[^`\n]{1,128}`|“[^”\n]{1,128}”|‘[^’\n]{1,128}’|[^\s"'`<>“”‘’[({](?:[^\s"'`<>“”‘’]|['’](?=[A-Za-z])){3,127})/gi;

/**
 * The prose-password rule's check of a match of PROSE_PASSWORD (its value is group 4), with what was
 * worked out for the same text before when `memo` is given.
 */
export function acceptProsePassword(value: string, m: RegExpExecArray, memo?: ProsePasswordMemo): boolean {
  const keyAt = m.index + (m[1]?.length ?? 0);
  return isProsePassword(
    value,
    m.input,
    keyAt,
    keyAt + (m[2]?.length ?? 0) + (m[3]?.length ?? 0),
    m[3] ?? '',
    memo,
  );
}

/**
 * Where the mask of a prose password ends: an unquoted value that reaches the pattern's cap (128
 * characters) is cut there, not at its end, so the mask runs on to the end of its non-space run (a
 * linear scan, not a longer pattern). (Exported for test/diagnosis/redact-before.ts, which reuses it.)
 */
export function prosePasswordEnd(text: string, end: number, secret: string): number {
  if (secret.length < 128 || /^["'`“‘]/.test(secret)) return end;
  let i = end;
  while (i < text.length && !/\s/.test(text[i] as string)) i++;
  return i;
}

/** PROSE_PASSWORD read at one offset (sticky), for a pair whose value is a password's label. */
const PROSE_PASSWORD_AT = new RegExp(PROSE_PASSWORD.source, 'iy');

/**
 * For a pair whose unquoted value starts at `at` and ends at `end`: does the value open a password told
 * in prose that the prose-password rule masks (`token: pw is Summer2024`, `access_token: pw is hunter`)?
 * Then the pair is turned down, so it does not take the label (`pw`) for its value and leave the password
 * after it. Only when the prose match reaches the pair value's end: one that stops short (its value at the
 * rule's cap, `access_token: pw:A1xxx…`) would leave the rest of the pair's value, so the pair masks it
 * all. And not when the prose value is itself a label stating a password (`client_secret: pw is pass is
 * hunter2`): the prose rule would mask that label and leave the password, so the pair masks its value and
 * the prose rule the password after the second label. (Exported for test/diagnosis/redact-before.ts,
 * which reuses it.)
 */
export function opensProsePassword(text: string, at: number, end: number, memo?: ProsePasswordMemo): boolean {
  PROSE_PASSWORD_AT.lastIndex = at;
  const m = PROSE_PASSWORD_AT.exec(text);
  if (m !== null) {
    const value = m[4] ?? '';
    const matchEnd = m.index + m[0].length;
    if (matchEnd >= end && acceptProsePassword(value, m, memo))
      return !opensSecondLabel(text, matchEnd - value.length, memo);
    if (matchEnd < end) return false;
  }
  // Masked already (the text is being redacted again): still the label, so a second pass masks nothing.
  MASKED_PROSE_PASSWORD_AT.lastIndex = at;
  return MASKED_PROSE_PASSWORD_AT.test(text) && MASKED_PROSE_PASSWORD_AT.lastIndex >= end;
}

/** Whether a prose value at `at` is itself a password's label stating a password (one sticky match more). */
function opensSecondLabel(text: string, at: number, memo?: ProsePasswordMemo): boolean {
  if (!/^[*_~]{0,2}p(?:ass|w)/i.test(text.slice(at, at + 6))) return false;
  PROSE_PASSWORD_AT.lastIndex = at;
  const n = PROSE_PASSWORD_AT.exec(text);
  return n !== null && acceptProsePassword(n[4] ?? '', n, memo);
}

/** PROSE_PASSWORD's label and joint (the same), then a value already masked, whole or as a stub. */
const MASKED_PROSE_PASSWORD_AT =
  /[*_~]{0,2}(?:pass(?:word|wd|code|phrase)|pwd|pw|pass)[*_~]{0,2}(?:\s{1,3}(?:is|was|has been|got)(?:\s{1,3}(?:now|changed|reset|set|updated))?(?:\s{1,3}to)?\s{0,3}:?\s{1,3}|\s{1,3}(?:set\s{1,3})?to\s{1,3}|\s{0,3}:[*_~]{0,2}\s{0,3}|['’]s\s{1,3})["'`“‘]?(?:[\w.|/~-]{1,6}…|[*_~]{1,2})?\[redacted\]/iy;

/** Marks where key=value pairs are masked among the rules (maskSecretPairs, after known shapes). */
const PAIRS = 'pairs';

const RULES: (Rule | typeof PAIRS)[] = [
  // Tokens with a known shape first, so they keep a recognisable stub even inside a key=value pair.
  // JSON Web Tokens (three base64url parts, the first an encoded '{"').
  {
    name: 'jwt',
    possible: (t) => t.has('eyJ'),
    cues: ['eyJ'],
    pattern: /(?<![\w-])(eyJ[a-zA-Z0-9_-]{8,}\.[a-zA-Z0-9_-]{8,}\.[a-zA-Z0-9_-]{8,})/g,
    keep: 4,
    group: 1,
  },
  // Meta access tokens.
  {
    name: 'meta',
    possible: (t) => t.has('EAA'),
    cues: ['EAA'],
    pattern: /\b(EAA[a-zA-Z0-9]{20,})/g,
    keep: 4,
    group: 1,
  },
  // Google access and refresh tokens, API keys, OAuth client secrets.
  {
    name: 'google-access',
    possible: (t) => t.has('ya29.'),
    cues: ['ya29.'],
    pattern: /\b(ya29\.[a-zA-Z0-9_-]{20,})/g,
    keep: 5,
    group: 1,
  },
  {
    name: 'google-refresh',
    possible: (t) => t.has('1//'),
    cues: ['1//'],
    pattern: /(?<![\w/])(1\/\/[a-zA-Z0-9_-]{20,})/g,
    keep: 4,
    group: 1,
  },
  {
    name: 'google-api-key',
    possible: (t) => t.has('AIza'),
    cues: ['AIza'],
    pattern: /\b(AIza[a-zA-Z0-9_-]{30,})/g,
    keep: 4,
    group: 1,
  },
  {
    name: 'google-client-secret',
    possible: (t) => t.has('GOCSPX-'),
    cues: ['GOCSPX-'],
    pattern: /(?<![a-zA-Z0-9])(GOCSPX-[a-zA-Z0-9_-]{20,})/g,
    keep: 6,
    group: 1,
  },
  // Login with Amazon tokens.
  {
    name: 'amazon',
    possible: (t) => t.has('Atz'),
    cues: ['Atz'],
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
    possible: (t) => t.has('4/0'),
    cues: ['4/0'],
    pattern: /(?<![\w/])(4\/0[a-zA-Z0-9_-]{20,})/g,
    keep: 3,
    group: 1,
  },
  // Microsoft Entra (Azure AD) client secrets: three characters, a digit, then `Q~`.
  {
    name: 'azure-secret',
    possible: (t) => t.has('Q~'),
    cues: ['Q~'],
    pattern: /(?<![\w~.-])([a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34})(?![\w~.-])/g,
    keep: 3,
    group: 1,
  },
  // Slack tokens.
  {
    name: 'slack',
    possible: (t) => t.has('xox') || t.has('xapp-'),
    cues: ['xox', 'xapp-'],
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
  // Keys whose prefix is followed by a `.` or a short `-` part, which the run rules below step aside for:
  // SendGrid (`SG.<22>.<43>`) and Mailgun (`key-<32 hex>`), shapes as gitleaks' rules give them; Hugging
  // Face user tokens (`hf_` and 34 letters) are short of the long runs' 32 characters after the prefix.
  {
    name: 'dotted-or-dashed-key',
    possible: (t) => t.has('SG.') || t.has('key-') || t.has('hf_'),
    cues: ['SG.', 'key-', 'hf_'],
    pattern:
      /(?<![\w.-])(SG\.[a-zA-Z0-9_-]{16,32}\.[a-zA-Z0-9_-]{30,64}|key-[0-9a-f]{32}|hf_[a-zA-Z]{34})(?![\w-])/g,
    keep: 3,
    group: 1,
    // A Hugging Face token mixes cases; 34 lower-case letters after `hf_` are an identifier.
    accept: (s) => !s.startsWith('hf_') || (/[a-z]/.test(s) && /[A-Z]/.test(s)),
  },
  // Incoming webhook URLs carry their secret in the path, after a `/` where the catch-all long-key rule
  // steps aside (and Slack's is only 24 characters): Slack's (hooks.slack.com/services|workflows|triggers/…,
  // a failing one answers `invalid_token`, which reads as a Slack login error and is quoted on the card)
  // and Discord's (…/api/webhooks/<id>/<token>). The host and kind stay readable.
  {
    name: 'webhook-url',
    possible: (t) => t.has('hooks.slack.com/') || t.has('/api/webhooks/'),
    cues: ['hooks.slack.com/', '/api/webhooks/'],
    pattern:
      /((?:hooks\.slack\.com\/(?:services|workflows|triggers)|discord(?:app)?\.com\/api\/webhooks)\/)([a-zA-Z0-9_/-]{8,})/g,
    keep: 0,
    group: 2,
  },
  // `curl -u user:password` / `--user user:password`, only inside a curl command (curlCommands).
  {
    name: 'curl-user',
    possible: (t) => t.has('-u'),
    cues: ['-u'],
    pattern: /(?<!\S)((?:-u|--user)(?:\s{0,3}|=)["']?[^\s:"']{1,128}:)([^\s"']{1,256})/g,
    keep: 0,
    group: 2,
    prepare: (text) => {
      const inCurl = curlCommands(text);
      return (_secret, m) => inCurl(m.index);
    },
  },
  // The mysql client's password glued to `-p` (`mysql -u root -pS3cret db`, `mysqldump -p'…'`,
  // ``mysql -p`…` ``), only in a mysql or mariadb command (isMysqlPassword); `-p` alone (it prompts),
  // `-P3306` (the port) and a variable (`-p$MYSQL_PWD`) are not masked. An unquoted value ends at the
  // shell's `;`, `|` and `&`.
  {
    name: 'mysql-password',
    possible: (t) => /mysql|mariadb/i.test(t.text) && t.text.includes('-p'),
    cues: ['mysql', 'mariadb'],
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
    cues: ['authorization'],
    pattern:
      /\b((?:proxy-)?authorization["']?\s{0,2}[:=]\s{0,2}["']?(?:bearer|basic|token|digest)\s+)([^\s"',;]{4,})/gi,
    keep: 0,
    group: 2,
  },
  // Cookie headers (`Cookie: a=b; c=d`, `Set-Cookie: …`): a session cookie is a password for as long as it
  // lives, and most are too short for the length rules. Every name=value pair of the header is masked.
  {
    name: 'cookie-header',
    possible: (t) => /cookie/i.test(t.text),
    cues: ['cookie'],
    pattern:
      /\b((?:set-)?cookie["']?\s{0,2}:\s{0,2})([\w.-]{1,64}=[^\s;"']*(?:;\s?[\w.-]{1,64}=[^\s;"']*)*)/gi,
    keep: 0,
    group: 2,
  },
  {
    name: 'bearer',
    possible: (t) => /bearer/i.test(t.text),
    cues: ['bearer'],
    pattern: /\b(bearer\s+)([a-z0-9._~+/=-]{16,})/gi,
    keep: 0,
    group: 2,
  },
  // user:password@host in URLs. The password may hold `/` (people paste it unencoded) but not `:`,
  // so no other URL can start inside it; a port followed by a path (`host:8080/a@b`) is not one.
  {
    name: 'url-password',
    possible: (t) => t.text.includes('://') && t.text.includes('@'),
    cues: ['://'],
    pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]{1,64}:)([^\s@:]{1,128})(@)/gi,
    keep: 0,
    group: 2,
    accept: (s) => !/^\d{1,5}\//.test(s),
  },
  // A password told in prose ("my password is Summer2024!", "changed the password to Tr0ub4dor&3",
  // "passcode: 482913", "pw is Summer2024", "the password's hunter22"): the pairs above take a bare word
  // only with `=` or quotes, since "password: please reset" is prose. Here the value must look like one
  // (isProsePassword): quoted, or holding a digit, a symbol or a capital inside a word, or, stated
  // ("password is …", "password: …"), a word of letters that is not English prose or a quoted
  // pass-phrase of plain words; not a placeholder, a path, a link or a call in code.
  {
    name: 'prose-password',
    // Tested with the pattern's own case folding (`i`), so it can't disagree with it.
    possible: (t) => /pass|pw/i.test(t.text),
    cues: ['pass', 'pw'],
    pattern: PROSE_PASSWORD,
    keep: 0,
    group: 4,
    extend: prosePasswordEnd,
    prepare: () => {
      const memo: ProsePasswordMemo = { kinds: new Map(), states: new Map() };
      return (value, m) => acceptProsePassword(value, m, memo);
    },
  },
  // Any other long opaque string that looks like a key: 32+ characters mixing letters and digits. Not
  // inside a path, link or file name (`/`, `.`, `+`, `-` beside it), but a full stop ending a sentence
  // (`…: <key>.`) is not a file name.
  {
    name: 'long-key',
    possible: (t) => t.runs().word >= 32,
    pattern: /(?<![\w/.+-])([a-zA-Z0-9_]{32,})(?![\w/+-]|\.\S)/g,
    keep: 4,
    group: 1,
    // A trace or request id (`trace_id: faaf…`) is what a platform's support asks for, not a secret.
    accept: (s, m) => /\d/.test(s) && /[a-zA-Z]/.test(s) && !isTraceId(m.input, m.index),
  },
  // Base64url tokens (LinkedIn, Microsoft refresh tokens `0.AXo…`, TikTok `act.…`) hold `-` and `_`:
  // the rule above takes no run next to a dash, so one dash left the whole token in the clear. 40+
  // characters of [A-Za-z0-9_-] with upper and lower case letters and digits and one part of 16+
  // between dashes (kebab-case names have no mixed case, UUIDs no long part), after at most a short
  // dotted prefix; not inside a path or a percent-encoded link (`%2F…`).
  {
    name: 'long-token',
    possible: (t) => t.runs().wordOrDash >= 40,
    pattern: /(?<![\w/.+%-])((?:[a-zA-Z0-9]{1,4}\.)?[a-zA-Z0-9_-]{40,})(?![\w/+-]|\.\S)/g,
    keep: 4,
    group: 1,
    accept: (s) =>
      /\d/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s) && s.split(/[-_.]/).some((p) => p.length >= 16),
  },
  // Mailchimp API keys: 32 hex digits, a dash and the data centre (`…-us21`).
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

/**
 * What a text needs for the redactor to change it, as literals (read in any case, so a superset):
 * `\\` (JSON escapes are read through), a PEM key's header, and each rule's cues. The rules without
 * cues (the long runs) and the pairs are asked apart, by mayMaskWithoutCues. A text with none of these
 * literals for which mayMaskWithoutCues is false is returned as it is, with a count of 0: diagnose's
 * early exit for plain chat rests on this (test/diagnosis/redact.test.ts shows each rule's check
 * says no without its cues).
 */
export const MASK_CUES: readonly string[] = [
  '\\',
  '-----BEGIN ',
  ...RULES.flatMap((rule) => (rule === PAIRS ? [] : (rule.cues ?? []))),
];

let cueFilter: WordFilter | null = null;
/** MASK_CUES in one filter, built on first use. */
function maskCueFilter(): WordFilter {
  cueFilter ??= new WordFilter(MASK_CUES);
  return cueFilter;
}

/** Whether a rule without cues (a long run), or a key=value pair, may still mask something in the text. */
export function mayMaskWithoutCues(text: string): boolean {
  const facts = new TextFacts(text);
  return RULES.some((rule) => (rule === PAIRS ? pairPossible(facts) : !rule.cues && rule.possible(facts)));
}

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
      // Flattened onto one line (its line breaks turned into spaces, as in a one-line quote): a run of 40+
      // base64 characters after spaces or tabs is the key's next line; a shorter word (prose) ends it.
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

/**
 * A function call in code: a name (dotted or `->`, `$`-prefixed as in PHP, after `await` or `new`) and its opening parenthesis. With a
 * space before the parenthesis (`readline (STDIN)`) only a name without digits whose argument opens like
 * code (a constant, a variable, a string, nothing): `password = hunter2 (changed)` stays a secret.
 */
const CODE_CALL = /(?:await |new )?[A-Za-z_$](?:[\w$.]|->){0,80}\(/y;
const SPACED_CODE_CALL = /(?:await |new )?[A-Za-z_$](?:[A-Za-z_$.]|->){0,80} \([A-Z$"')]/y;
/** `$name = …` (PHP, shell) or `camelCase = …` with spaces around the `=`, as code is written. */
function isCodeAssignment(text: string, keyAt: number, key: string, operator: string): boolean {
  return /^ +=(?!=) +$/.test(operator) && (text[keyAt - 1] === '$' || /[a-z][A-Z]/.test(key));
}
function isCall(text: string, at: number): boolean {
  CODE_CALL.lastIndex = at;
  SPACED_CODE_CALL.lastIndex = at;
  return CODE_CALL.test(text) || SPACED_CODE_CALL.test(text);
}

function maskSecretPairs(text: string): Redaction {
  let memo: ProsePasswordMemo | undefined;
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
    // In code, `$token = readline(…)` or `accessToken = await getAccessToken()` assigns what a call
    // returns: the value is the call, not a secret. Only in a code-style assignment (a `$` variable or a
    // camelCase name, spaces around `=`), since a config line's unquoted secret may hold a parenthesis.
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
    // `token: pw is Summer2024`: the "value" is a password's label; the prose-password rule masks the
    // password it states.
    if (!valueQuote && /^[*_~]{0,2}p(?:ass|w)/i.test(value)) {
      memo ??= { kinds: new Map(), states: new Map() };
      if (opensProsePassword(text, valueAt, valueAt + secret.length, memo)) continue;
    }
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
  // Most messages hold none of the literals the checks below look for, nor a pair or a long run: one
  // pass of the cue filter says so, and every check would say no (MASK_CUES).
  if (checkFirst && !maskCueFilter().mayMatch(input) && !mayMaskWithoutCues(input))
    return { text: input, count: 0 };
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
