/**
 * Generators of secrets in the shapes people paste (issue 11, point 1), for property tests of the
 * redactor and of the whole bot. Shapes follow the public gitleaks / trufflehog rules; every value is
 * random, so it can't be found in the surrounding text by chance.
 *
 * Each planted secret comes with its `needle`: the part that must never reach Slack, a log or the
 * store. Stubs the redactor keeps on purpose (`ghp_`, `sk_l`, `AKIA`) are outside the needle.
 */
import fc from 'fast-check';
import { diagnose, loadKnowledge } from '../../src/diagnosis';
import { positives } from './corpus';

export interface Planted {
  shape: string;
  /** What is pasted (the secret in its context: `DB_PASSWORD=…`, `curl -u …`). */
  text: string;
  /** What must not come out (the secret's random part). */
  needle: string;
}

/** Random, not biased towards short or repetitive values: real secrets are high-entropy. */
const random = (pattern: RegExp): fc.Arbitrary<string> => fc.noBias(fc.stringMatching(pattern));

/** Passwords as typed: letters, digits and the punctuation people use, no separators of key=value lists. */
const password = random(/^[A-Za-z0-9][A-Za-z0-9!#%*()_+\-.~^]{11,30}$/);
/** A password inside quotes may also hold spaces and list separators. */
const quotedPassword = random(/^[A-Za-z0-9][A-Za-z0-9 !#%*()_+\-.~^&,;:=/@<>{}]{10,30}[A-Za-z0-9]$/);
/** An opaque token value (OAuth access/refresh tokens, API keys of no known shape). */
const opaque = random(/^[A-Za-z0-9][A-Za-z0-9_\-.]{15,60}$/);

const plant = (shape: string, text: string, needle: string): Planted => ({ shape, text, needle });

/** `{\"client_secret\":\"…\"}` as it shows when a JSON body is logged inside a JSON string, once or twice escaped. */
const escapedJson = fc
  .tuple(
    fc.constantFrom('client_secret', 'password', 'refresh_token', 'access_token', 'api_key', 'clientSecret'),
    quotedPassword,
    fc.constantFrom('\\"', '\\\\\\"'),
  )
  .map(([key, value, q]) =>
    plant(
      'escaped JSON',
      `{${q}${key}${q}:${q}${value}${q},${q}grant_type${q}:${q}refresh_token${q}}`,
      value,
    ),
  );

/** Environment variables with a prefix: GOOGLE_CLIENT_SECRET=, DB_PASSWORD=, *_REFRESH_TOKEN=, *_API_KEY=. */
const envVar = fc
  .tuple(
    fc.constantFrom(
      'GOOGLE',
      'DB',
      'MYSQL_ROOT',
      'POSTGRES',
      'HUBSPOT',
      'SALESFORCE',
      'FB_APP',
      'SMTP',
      'APP',
    ),
    fc.constantFrom(
      'CLIENT_SECRET',
      'PASSWORD',
      'PASS',
      'REFRESH_TOKEN',
      'ACCESS_TOKEN',
      'API_KEY',
      'PW',
      'SECRET',
      'SECRET_KEY',
      'TOKEN',
    ),
    fc.oneof(
      password.map((v) => ({ written: v, value: v })),
      quotedPassword.map((v) => ({ written: `"${v}"`, value: v })),
    ),
    fc.constantFrom('', 'export ', '- '),
  )
  .map(([prefix, name, { written, value }, lead]) =>
    plant('env variable', `${lead}${prefix}_${name}=${written}`, value),
  );

/** camelCase, snake_case and kebab-case keys in JSON, YAML, headers and query strings. */
const namedKey = fc
  .tuple(
    fc.constantFrom(
      'accessToken',
      'refreshToken',
      'clientSecret',
      'apiKey',
      'x-api-key',
      'X-Api-Key',
      'access_token',
      'refresh_token',
      'client_secret',
      'api_key',
      'appSecret',
      'dbPassword',
    ),
    opaque,
    fc.constantFrom('json', 'yaml', 'query', 'header'),
  )
  .map(([key, value, style]) => {
    const text =
      style === 'json'
        ? `{"${key}": "${value}", "expires_in": 3599}`
        : style === 'yaml'
          ? `${key}: ${value}`
          : style === 'query'
            ? `https://api.example.com/v2/report?${key}=${value}&fields=id`
            : `-H '${key}: ${value}'`;
    return plant('named key', text, value);
  });

/** AWS: secret access keys (40 base64 characters, with `/` or `+`) and access key ids. */
const awsSecret = random(/^[A-Za-z0-9]{10}[/+][A-Za-z0-9]{8}[/+][A-Za-z0-9]{19}[a-z0-9]$/)
  .filter((s) => /[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s))
  .chain((s) =>
    fc.constantFrom(
      plant('AWS secret access key', s, s),
      plant('AWS secret access key', `aws_secret_access_key = ${s}`, s),
      plant('AWS secret access key', `"SecretAccessKey": "${s}"`, s),
    ),
  );
const awsKeyId = random(/^(AKIA|ASIA)[A-Z2-7]{16}$/).map((s) => plant('AWS access key id', s, s.slice(4)));

/** Prefixed keys: Stripe, GitHub, GitLab (the random part is the needle; the prefix is the stub). */
const prefixed = [
  random(/^(sk|rk)_live_[A-Za-z0-9]{24,99}$/).map((s) => plant('Stripe key', s, s.slice(8))),
  random(/^gh[pousr]_[A-Za-z0-9]{36}$/).map((s) => plant('GitHub token', s, s.slice(4))),
  random(/^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$/).map((s) =>
    plant('GitHub fine-grained token', s, s.slice(11)),
  ),
  random(/^glpat-[A-Za-z0-9_-]{20}$/).map((s) => plant('GitLab token', s, s.slice(6))),
  random(/^SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/).map((s) => plant('SendGrid key', s, s.slice(3))),
  random(/^key-[0-9a-f]{32}$/).map((s) => plant('Mailgun key', s, s.slice(4))),
  random(/^hf_[a-z][A-Z][A-Za-z]{32}$/).map((s) => plant('Hugging Face token', s, s.slice(3))),
  random(/^[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}$/).map((s) =>
    plant('Mailgun key (newer form)', s, s.slice(4)),
  ),
];

/** A password told in prose: a digit or a symbol inside it, as passwords are required to have. */
const prosePassword = fc
  .tuple(
    fc.constantFrom(
      'my password is ',
      'the password was ',
      'I changed my password to ',
      'Password: ',
      'passcode: ',
    ),
    random(/^[A-Za-z0-9]{3,12}[0-9#%*_+~^][A-Za-z0-9#%*_+~^]{2,12}$/),
  )
  .map(([lead, p]) => plant('password in prose', `${lead}${p}`, p));

/** The same after the short names and "password's": "pw is …", "pwd: …", "pass: …". */
const shortNamePassword = fc
  .tuple(
    fc.constantFrom(
      'pw is ',
      'my pw: ',
      'PW: ',
      'pwd: ',
      'pass: ',
      'user etl pass: ',
      "the password's ",
      // A pair's key before the label: the pair must not take "pw" for its value.
      'access_token: pw is ',
      'token=pw is ',
    ),
    random(/^[A-Za-z0-9]{3,12}[0-9#%*_+~^][A-Za-z0-9#%*_+~^]{2,12}$/),
  )
  .map(([lead, p]) => plant('password after pw/pwd/pass', `${lead}${p}`, p));

/**
 * A word of random letters, so none is an English word of the prose after "password is" (the redactor
 * keeps those, and words with their endings, readable). All capitals too (`Password: LETMEIN`): only the
 * stop lists' words (`LDAP`, `EXPIRED`) stay readable in capitals, and random letters are none of them.
 * After "password's" any word may follow it (`the password's hunter is …`): only a noun of what a password
 * has is read as the possessive's noun there, and random letters are none of those.
 */
const randomWord = (pattern: RegExp): fc.Arbitrary<string> =>
  random(pattern).filter((p) => !/(?:ed|ing|able|ible)$/i.test(p));

/** A password of letters only, stated ("Password: hunter", "Password: LETMEIN"). */
const lettersOnlyPassword = fc
  .tuple(
    fc.constantFrom(
      'my password is ',
      'Password: ',
      'the password is now ',
      'pw is ',
      'pwd: ',
      "password's ",
    ),
    fc.oneof(randomWord(/^[A-Za-z]{8,14}$/), randomWord(/^[A-Z]{8,14}$/)),
  )
  .map(([lead, p]) => plant('letters-only password in prose', `${lead}${p}`, p));

/**
 * Letters with hyphens or apostrophes between them, stated (`password: purple-monkey`, `o'hara`), some
 * parts stop-list words (`super-secret`): one part that is not prose makes it a password.
 */
const hyphenatedPassword = fc
  .tuple(
    fc.constantFrom('password: ', "the password's ", 'my password is ', 'Password: ', 'the password’s '),
    randomWord(/^[a-z][A-Za-z]{4,7}$/),
    fc.array(
      fc.oneof(randomWord(/^[a-z][A-Za-z]{4,7}$/), fc.constantFrom('secret', 'expired', 'wrong', 'super')),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    fc.nat(3),
    fc.constantFrom('-', "'", '’'),
  )
  .map(([lead, word, others, at, joint]) => {
    const parts = [...others];
    parts.splice(at % (parts.length + 1), 0, word);
    const p = parts.join(joint);
    return plant('letters-only password with a hyphen or an apostrophe', `${lead}${p}`, p);
  });

/** A password after a label in Slack's bold, italic or strike markup (`*Password:*`, `_Password_:`). */
const markupLabelPassword = fc
  .tuple(
    fc.constantFrom(
      '*Password:* ',
      '*Password*: ',
      '_Password:_ ',
      '_Password_: ',
      '~pw:~ ',
      '**Password:** ',
    ),
    fc.oneof(
      random(/^[A-Za-z0-9]{3,12}[0-9#%*_+~^][A-Za-z0-9#%*_+~^]{2,12}$/),
      randomWord(/^[A-Za-z]{8,14}$/),
    ),
  )
  .map(([lead, p]) => plant('password after a label in markup', `${lead}${p}`, p));

/** Words a pass-phrase is made of (diceware-like: ordinary nouns, none of a login's messages). */
const PHRASE_WORDS = ['horse', 'battery', 'staple', 'purple', 'monkey', 'lantern', 'orbit', 'pickle'];
const PHRASE_MORE = ['violet', 'canyon', 'tiger', 'marble', 'coffee', 'garden', 'rocket', 'pencil', 'walrus'];

/** A quoted pass-phrase of plain lower-case words, with no digit or symbol. */
const quotedPassPhrase = fc
  .tuple(
    fc.constantFrom('my password is ', 'the passphrase is ', 'Password: ', 'pw is '),
    fc.array(fc.constantFrom(...PHRASE_WORDS, ...PHRASE_MORE), { minLength: 3, maxLength: 6 }),
    fc.constantFrom(['"', '"'], ["'", "'"], ['“', '”'], ['`', '`']),
  )
  .map(([lead, words, [open, close]]) => {
    const phrase = words.join(' ');
    return plant('quoted pass-phrase', `${lead}${open}${phrase}${close}`, phrase);
  });

/**
 * A quoted pass-phrase whose words hold digits or sit apart by runs of spaces (`'purple  monkey'`,
 * `'my 2 dogs are cute'`).
 */
const spacedPassPhrase = fc
  .tuple(
    fc.constantFrom('my password is ', 'the passphrase is ', 'Password: ', 'pw is '),
    fc.array(
      fc.oneof(fc.constantFrom(...PHRASE_WORDS, ...PHRASE_MORE), fc.integer({ min: 2, max: 99 }).map(String)),
      {
        minLength: 2,
        maxLength: 6,
      },
    ),
    fc.array(fc.constantFrom(' ', '  ', '   ', '\t'), { minLength: 5, maxLength: 5 }),
    fc.constantFrom(['"', '"'], ["'", "'"], ['“', '”']),
  )
  .filter(([, words]) => words.some((w) => /[a-z]/.test(w)))
  .map(([lead, words, gaps, [open, close]]) => {
    const phrase = words.map((w, i) => (i === 0 ? w : `${gaps[i - 1]}${w}`)).join('');
    return plant('quoted pass-phrase with digits or spaces', `${lead}${open}${phrase}${close}`, phrase);
  });

/** The mysql client's password glued to `-p`, bare or quoted (backticks too), mariadb's tools included. */
const mysqlPassword = fc
  .tuple(
    fc.constantFrom(
      'mysql -h db.internal -u etl',
      'mysqldump -uroot',
      'docker exec -it db mariadb -u root',
      'mariadb-dump -u root',
      'mariadb-admin -u root',
      '/usr/bin/mysql -u etl',
      // A client named by a path is read as one where a command starts: planted mid-line, after a prompt.
      '$ /opt/mysql -u etl',
      'user@db01:~$ ./mysql -u root',
    ),
    password,
    fc.constantFrom(['', ''], ['`', '`'], ["'", "'"], ['"', '"']),
  )
  .map(([command, p, [open, close]]) => plant('mysql -p', `${command} -p${open}${p}${close} warehouse`, p));

/** PEM private keys, whole or cut short, raw or inside a service-account JSON (`\n` escaped). */
const pem = fc
  .tuple(
    fc.constantFrom('', 'RSA ', 'EC ', 'OPENSSH ', 'ENCRYPTED ', 'PGP '),
    fc.array(random(/^[A-Za-z0-9+/]{64}$/), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('raw', 'escaped', 'cut'),
  )
  .map(([kind, lines, form]) => {
    const label = `${kind}PRIVATE KEY${kind === 'PGP ' ? ' BLOCK' : ''}`;
    const body = lines.join('\n');
    const key = `-----BEGIN ${label}-----\n${body}${form === 'cut' ? '' : `\n-----END ${label}-----`}`;
    const text = form === 'escaped' ? `{"private_key": "${key.replace(/\n/g, '\\n')}\\n"}` : key;
    return plant('PEM private key', text, lines[0] as string);
  });

/** Basic credentials: curl -u, user:password@ in URLs (password with `/`), Authorization: Basic. */
const userPassword = [
  password.map((p) => plant('curl -u', `curl -s -u etl-bot:${p} https://api.example.com/v1/me`, p)),
  password.map((p) =>
    plant('curl --user', `curl --user "etl-bot:${p}" -X POST https://api.example.com/token`, p),
  ),
  fc
    .tuple(
      fc.constantFrom('https', 'postgres', 'mysql', 'amqp'),
      random(/^[A-Za-z][A-Za-z0-9]{3,9}\/[A-Za-z0-9!*._~-]{4,16}$/),
    )
    .map(([scheme, p]) =>
      plant('URL password', `${scheme}://loader:${p}@db.internal.example:5432/warehouse`, p),
    ),
  fc.tuple(fc.constantFrom('me', 'etl@example.com'), password).map(([user, p]) => {
    const basic = Buffer.from(`${user}:${p}`).toString('base64');
    return plant('Authorization: Basic', `-H "Authorization: Basic ${basic}"`, basic);
  }),
];

/** Every shape, one generator each. */
export const SHAPES: fc.Arbitrary<Planted>[] = [
  escapedJson,
  envVar,
  namedKey,
  awsSecret,
  awsKeyId,
  ...prefixed,
  prosePassword,
  shortNamePassword,
  lettersOnlyPassword,
  hyphenatedPassword,
  markupLabelPassword,
  quotedPassPhrase,
  spacedPassPhrase,
  mysqlPassword,
  pem,
  ...userPassword,
];

/** A secret in any of the shapes above. */
export const plantedSecret: fc.Arbitrary<Planted> = fc.oneof(...SHAPES);

/** Real error messages (the corpus' positives) as the surroundings. */
const MESSAGES = positives().map((p) => p.text);

/** A secret with where it goes: the n-th word boundary of the message, and what separates it. */
type Placement = [Planted, number, string];
const placed = (secret: fc.Arbitrary<Planted>): fc.Arbitrary<Placement> =>
  fc.tuple(secret, fc.nat(), fc.constantFrom(' ', '\n', '\t', '\r\n', ' | ', ': ', ' (', '\n\n'));

export interface MessageWithSecrets {
  text: string;
  planted: Planted[];
}

/**
 * Plants secrets at word boundaries of the message (start, end, between words, on their own line),
 * never inside one another.
 */
function plantAll(message: string, plants: Placement[]): MessageWithSecrets {
  const boundaries = [0, message.length, ...[...message.matchAll(/\s/g)].map((m) => m.index ?? 0)];
  const at = plants
    .map(([secret, n, separator]) => ({ secret, separator, i: boundaries[n % boundaries.length] as number }))
    .sort((a, b) => b.i - a.i); // from the end, so earlier positions stay valid
  let text = message;
  for (const { secret, separator, i } of at) {
    const close = separator.trim() === '(' ? ')' : ' ';
    text = `${text.slice(0, i)}${separator}${secret.text}${close}${text.slice(i)}`;
  }
  return { text, planted: plants.map(([secret]) => secret) };
}

/** A real error message with 1–3 secrets of any shapes planted in it. */
export const messageWithSecrets: fc.Arbitrary<MessageWithSecrets> = fc
  .tuple(fc.constantFrom(...MESSAGES), fc.array(placed(plantedSecret), { minLength: 1, maxLength: 3 }))
  .map(([message, plants]) => plantAll(message, plants));

/**
 * For end-to-end tests, where each message costs requests: messages that together carry `perShape`
 * secrets of every shape, three to a message, drawn with a fixed seed (the same on every run).
 */
export function messagesCoveringEveryShape(perShape: number, seed: number): MessageWithSecrets[] {
  const rows = fc.sample(fc.tuple(...SHAPES.map(placed)), { seed, numRuns: perShape });
  const plants = rows.flat();
  // Messages the engine answers with a card (many corpus positives it misses), so each one reaches
  // every card and button the end-to-end tests follow.
  const knowledge = loadKnowledge();
  const answered = MESSAGES.filter((text) => diagnose(text, knowledge).isTokenError);
  const candidates = fc.sample(fc.constantFrom(...answered), {
    seed,
    numRuns: 20 * Math.ceil(plants.length / 3),
  });
  // Planting can turn a short message into another problem; then the next candidate carries those
  // secrets, so every shape reaches a card.
  const out: MessageWithSecrets[] = [];
  let next = 0;
  for (let i = 0; i < plants.length; i += 3) {
    for (; next < candidates.length; next++) {
      const planted = plantAll(candidates[next] as string, plants.slice(i, i + 3));
      if (!diagnose(planted.text, knowledge).isTokenError) continue;
      out.push(planted);
      next++;
      break;
    }
  }
  if (out.length * 3 < plants.length)
    throw new Error('messagesCoveringEveryShape: too few messages stay login errors');
  return out;
}

/**
 * The forms a needle can take on its way out: as pasted; as the classifier's normalisation leaves it
 * (quotes, backticks, `*` and `~` dropped: what a card quotes); and either with `&`, `<`, `>` escaped
 * (Slack's message text, mrkdwn).
 */
function needleForms(needle: string): string[] {
  const normalised = needle.replace(/[`"*~]/g, '');
  const escaped = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return [...new Set([needle, normalised, escaped(needle), escaped(normalised)])];
}

/** The parts of a needle that must not come out: each form of it, and each 10-character piece. */
export function needlePieces(needle: string): string[] {
  const pieces = new Set<string>();
  for (const form of needleForms(needle)) {
    pieces.add(form);
    for (let i = 0; i + 10 <= form.length; i += 5) pieces.add(form.slice(i, i + 10));
  }
  return [...pieces];
}

/** Which needles (or pieces of them) show in the text, as "shape: piece", for a readable failure. */
export function leaks(text: string, planted: Planted[]): string[] {
  return planted.flatMap((p) =>
    needlePieces(p.needle)
      .filter((n) => text.includes(n))
      .map((n) => `${p.shape}: ${n}`),
  );
}
