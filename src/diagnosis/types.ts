/** The cause ids fixed by the contract, in the help article's order (most common first), then the extras. */
export const CAUSE_IDS = [
  'token_max_lifetime',
  'refresh_token_inactive',
  'password_changed',
  'two_factor_enabled',
  'app_access_removed',
  'user_removed_by_admin',
  'security_invalidation',
  'account_unconfirmed',
  'unknown',
] as const;
export type CauseId = (typeof CAUSE_IDS)[number];

/** What a non-login connector error is instead, so a card can say "reconnecting won't help". */
export const OTHER_KINDS = [
  'permission_missing',
  'rate_limited',
  'license_or_quota',
  'server_error',
  'invalid_request',
] as const;
export type OtherKind = (typeof OTHER_KINDS)[number];

export interface RankedCause {
  cause: CauseId;
  confidence: number;
}

/** The contract's Diagnosis JSON (../shared/CONTRACT.md). Field order matches the contract. */
export interface Diagnosis {
  isTokenError: boolean;
  platform: string | null;
  dataSource: string | null;
  cause: CauseId | null;
  confidence: number;
  alternatives: RankedCause[];
  errorCode: string | null;
  evidence: string[];
  secretsRedacted: number;
  otherKind: OtherKind | null;
  /** Set when the text was read from a screenshot with OCR (`tokenfix diagnose --image`, a shared image). */
  source?: 'image';
}
