/**
 * Masks pasted secrets before anything else sees the text. Each rule keeps a short, recognisable
 * stub ("EAAG…[redacted]") so an agent can still tell which kind of token was pasted.
 * All patterns are linear-time (checked by test/diagnosis/regex-safety.test.ts).
 */
export interface Redaction {
  text: string;
  count: number;
}

const MASK = '…[redacted]';

interface Rule {
  name: string;
  pattern: RegExp;
  /** How many leading characters of the secret part to keep as a recognisable stub. */
  keep: number;
  /** Capture group holding the secret (the rest of the match is kept as is). */
  group: number;
  /** Extra check on the secret, for shapes a regex alone would make super-linear. */
  accept?: (secret: string) => boolean;
}

const RULES: Rule[] = [
  // Tokens with a known shape first, so they keep a recognisable stub even inside a key=value pair.
  // JSON Web Tokens (three base64url parts, the first an encoded '{"').
  {
    name: 'jwt',
    pattern: /(?<![\w-])(eyJ[a-zA-Z0-9_-]{8,}\.[a-zA-Z0-9_-]{8,}\.[a-zA-Z0-9_-]{8,})/g,
    keep: 4,
    group: 1,
  },
  // Meta access tokens.
  { name: 'meta', pattern: /\b(EAA[a-zA-Z0-9]{20,})/g, keep: 4, group: 1 },
  // Google access and refresh tokens, API keys.
  { name: 'google-access', pattern: /\b(ya29\.[a-zA-Z0-9_-]{20,})/g, keep: 5, group: 1 },
  { name: 'google-refresh', pattern: /(?<![\w/])(1\/\/[a-zA-Z0-9_-]{20,})/g, keep: 4, group: 1 },
  { name: 'google-api-key', pattern: /\b(AIza[a-zA-Z0-9_-]{30,})/g, keep: 4, group: 1 },
  // Login with Amazon tokens.
  { name: 'amazon', pattern: /\b(Atz[ar]\|[a-zA-Z0-9_|.+/=-]{20,})/g, keep: 5, group: 1 },
  // AWS access key ids (the secret key that goes with one is caught by the key=value rule below).
  { name: 'aws-key-id', pattern: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b/g, keep: 4, group: 1 },
  // Google OAuth authorization codes (`code=4/0A…` in a redirect URL).
  { name: 'google-auth-code', pattern: /(?<![\w/])(4\/0[a-zA-Z0-9_-]{20,})/g, keep: 3, group: 1 },
  // Microsoft Entra (Azure AD) client secrets: three characters, a digit, then `Q~`.
  {
    name: 'azure-secret',
    pattern: /(?<![\w~.-])([a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34})(?![\w~.-])/g,
    keep: 3,
    group: 1,
  },
  // Slack tokens.
  { name: 'slack', pattern: /\b(xox[abposer]-[a-zA-Z0-9-]{10,}|xapp-[a-zA-Z0-9-]{10,})/g, keep: 5, group: 1 },
  // GitHub, Stripe, Shopify, HubSpot and similar prefixed keys.
  {
    name: 'prefixed-key',
    pattern:
      /\b((?:gh[pousr]_|github_pat_|sk_live_|sk_test_|rk_live_|shpat_|shpca_|shppa_|pat-na1-|pat-eu1-)[a-zA-Z0-9_-]{16,})/g,
    keep: 4,
    group: 1,
  },
  // "Authorization: Bearer …" / "Basic …" headers, whatever the token looks like.
  {
    name: 'auth-header',
    pattern: /\b(authorization\W{1,4}(?:bearer|basic|token)\s+)([^\s"',;]{8,})/gi,
    keep: 0,
    group: 2,
  },
  { name: 'bearer', pattern: /\b(bearer\s+)([a-z0-9._~+/=-]{16,})/gi, keep: 0, group: 2 },
  // key=value and "key": "value" pairs whose value is always a secret.
  {
    name: 'secret-pair',
    pattern:
      /\b((?:access_token|refresh_token|id_token|client_secret|api_key|apikey|app_secret|developer_token|x-api-key|auth_token|aws_secret_access_key|secret_access_key|aws_session_token|session_token|private_key_id|client_assertion)["']?\s{0,3}[:=]\s{0,3}["']?)([^\s"'&,;<>}{]{4,})/gi,
    keep: 0,
    group: 2,
  },
  // Passwords only as URL/form parameters or quoted JSON keys: "password: changed" in prose is not one.
  {
    name: 'password-pair',
    pattern:
      /(\b(?:password|passwd|pwd|pass)=|"(?:password|passwd|pwd)"\s{0,3}:\s{0,3}")([^\s"'&,;<>}{]{1,})/gi,
    keep: 0,
    group: 2,
  },
  // user:password@host in URLs.
  {
    name: 'url-password',
    pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]{1,64}:)([^\s@/]{1,128})(@)/gi,
    keep: 0,
    group: 2,
  },
  // Any other long opaque string that looks like a key: 32+ characters mixing letters and digits.
  {
    name: 'long-key',
    pattern: /(?<![\w/.+-])([a-zA-Z0-9_]{32,})(?![\w/.+-])/g,
    keep: 4,
    group: 1,
    accept: (s) => /\d/.test(s) && /[a-zA-Z]/.test(s),
  },
];

function maskOne(secret: string, keep: number): string {
  if (secret.endsWith(MASK) || secret === '[redacted]') return secret;
  return keep > 0 ? secret.slice(0, keep) + MASK : '[redacted]';
}

/** The header of a PEM private key (a pasted service-account JSON carries one). */
const PEM_BEGIN = /-----BEGIN [A-Z ]{0,30}PRIVATE KEY-----/g;
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
    if (start <= last) continue;
    if (nextEnd !== -1 && nextEnd < start) nextEnd = input.indexOf(PEM_END, start);
    let stop = nextEnd;
    if (stop < 0) {
      stop = start;
      while (stop < input.length && isPemBody(input[stop] as string)) stop++;
    }
    out += `${input.slice(last, start)}[redacted]`;
    last = stop;
    count++;
  }
  return count === 0 ? { text: input, count: 0 } : { text: out + input.slice(last), count };
}

export function redactSecrets(input: string): Redaction {
  const keys = maskPrivateKeys(input);
  let text = keys.text;
  let count = keys.count;
  for (const rule of RULES) {
    text = text.replace(rule.pattern, (...args: unknown[]) => {
      const groups = args.slice(1, -2) as (string | undefined)[];
      const whole = args[0] as string;
      const secret = groups[rule.group - 1];
      if (!secret || secret.includes('[redacted]') || (rule.accept && !rule.accept(secret))) return whole;
      count++;
      let out = '';
      groups.forEach((g, i) => {
        if (g === undefined) return;
        out += i === rule.group - 1 ? maskOne(g, rule.keep) : g;
      });
      return out;
    });
  }
  return { text, count };
}
