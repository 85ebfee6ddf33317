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
      /\b((?:access_token|refresh_token|id_token|client_secret|api_key|apikey|app_secret|developer_token|x-api-key|auth_token)["']?\s{0,3}[:=]\s{0,3}["']?)([^\s"'&,;<>}{]{4,})/gi,
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

export function redactSecrets(input: string): Redaction {
  let text = input;
  let count = 0;
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
