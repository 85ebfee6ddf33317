/**
 * Where OAuth installations live, in the same store (both engines) as everything else, so every replica
 * sees an install the moment one of them finished the OAuth flow.
 *
 * The rows hold Slack ids and one sealed value: the whole installation (bot token, refresh token,
 * expiry…) encrypted by src/oauth/crypto.ts before it reaches the store. The store never sees a token.
 * Keys: `T:<team id>` for a workspace install, `E:<enterprise id>` for an org-wide (Enterprise Grid)
 * install — see src/oauth/installation-store.ts.
 */
import { checkedTeam, StoreInputError } from './store';

export interface InstallationRow {
  /** `T:<team id>` or `E:<enterprise id>`. */
  key: string;
  enterpriseId: string | null;
  teamId: string | null;
  isEnterpriseInstall: boolean;
  /** The installation as JSON, sealed with TOKEN_ENCRYPTION_KEY. */
  sealed: string;
}

export interface InstallationRows {
  /** Inserts or replaces the row with this key (a reinstall, or a refreshed token). */
  save(row: InstallationRow): Promise<void>;
  find(key: string): Promise<InstallationRow | null>;
  /**
   * Replaces the row's sealed value only while it still is `from` (key rotation: a value sealed again
   * under the new key never overwrites a newer one saved meanwhile). True when replaced.
   */
  reseal(key: string, from: string, to: string): Promise<boolean>;
  /** True when a row was deleted. */
  remove(key: string): Promise<boolean>;
  /**
   * Deletes what the store keeps about one workspace: diagnoses and their rollups, votes, channel and
   * workspace settings, reminders, and which org-wide install served it.
   */
  forgetTeam(team: string): Promise<void>;
  /**
   * Records that the workspace is served through the org-wide install of `enterprise` (its rows are
   * kept by workspace id, so without this an org's uninstall could not tell which ones are the org's).
   */
  noteTeamEnterprise(team: string, enterprise: string): Promise<void>;
  /**
   * An org-wide install is gone: forgetTeam for every workspace recorded under `enterprise`, except a
   * workspace that still has an install of its own (`T:<team>`, whose data it still uses), and the
   * org's records; in one transaction. Returns the workspaces forgotten.
   */
  forgetEnterprise(enterprise: string): Promise<string[]>;
  /**
   * A workspace's own install (`T:<team>`) is gone: forgetTeam, unless an org-wide install still serves
   * the workspace — it is recorded under an org (noteTeamEnterprise) whose install (`E:<enterprise>`) is
   * still here. Then nothing is deleted (the org install goes on using the workspace's settings, and the
   * org's uninstall will forget them) and that enterprise id is returned; null when forgotten. The check
   * and the deletes are one transaction.
   */
  forgetUninstalledTeam(team: string): Promise<string | null>;
  /**
   * `team_access_revoked`: the org-wide install of `enterprise` can no longer reach these workspaces.
   * Each one is forgotten (forgetTeam) unless another install still serves it: its own (`T:<team>`), or
   * another org's it is recorded under (a workspace moved between orgs). A kept workspace's record under
   * `enterprise` goes (the org no longer serves it). One transaction, of at most
   * REVOKED_TEAMS_PER_CALL workspaces. With `enterprise` null (the event named no org) every org a
   * workspace is recorded under counts as another org: one whose install is still here keeps the data
   * (even when it is the org that lost access), and no record is dropped.
   */
  forgetRevokedTeams(
    enterprise: string | null,
    teams: readonly string[],
  ): Promise<{ forgotten: string[]; kept: string[] }>;
  /**
   * The value kept under `name` in store_meta; stores `value` first when there is none, atomically, so
   * replicas starting at once agree on one value.
   */
  metaOnce(name: string, value: string): Promise<string>;
  /** Replaces the store_meta value under `name` only while it still is `from`. True when replaced. */
  metaReplace(name: string, from: string, to: string): Promise<boolean>;
  count(): Promise<number>;
}

const INSTALL_KEY = /^[TE]:[A-Z0-9][A-Z0-9_-]{0,31}$/;
const SLACK_ID = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;
/** `v1.<iv>.<tag>.<body>` or, with the key id, `v2.<key id>.<iv>.<tag>.<body>` (src/oauth/crypto.ts). */
const SEALED = /^(?:v1|v2\.[A-Za-z0-9_-]{8})\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const META_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export function checkedInstallKey(key: string): string {
  if (typeof key !== 'string' || !INSTALL_KEY.test(key)) throw new StoreInputError('installation key');
  return key;
}

export function checkedSealed(sealed: string): string {
  if (typeof sealed !== 'string' || !SEALED.test(sealed) || sealed.length > 64_000)
    throw new StoreInputError('sealed installation');
  return sealed;
}

export function checkedInstallation(row: InstallationRow): InstallationRow {
  const id = (v: string | null, field: string) => {
    if (v !== null && (typeof v !== 'string' || !SLACK_ID.test(v))) throw new StoreInputError(field);
    return v;
  };
  return {
    key: checkedInstallKey(row.key),
    enterpriseId: id(row.enterpriseId, 'enterpriseId'),
    teamId: id(row.teamId, 'teamId'),
    isEnterpriseInstall: row.isEnterpriseInstall === true,
    sealed: checkedSealed(row.sealed),
  };
}

export function checkedMetaName(name: string): string {
  if (typeof name !== 'string' || !META_NAME.test(name)) throw new StoreInputError('meta name');
  return name;
}

/**
 * At most this many workspaces per forgetRevokedTeams call (one transaction; on PostgreSQL one advisory
 * lock each). A team_access_revoked naming more (an org has up to thousands) is forgotten in calls of
 * this many by Memory.forgetRevokedTeams.
 */
export const REVOKED_TEAMS_PER_CALL = 1_000;

/** The workspaces of one forgetRevokedTeams call, checked and without repeats. */
export function checkedTeams(teams: readonly string[]): string[] {
  if (!Array.isArray(teams) || teams.length > REVOKED_TEAMS_PER_CALL) throw new StoreInputError('teams');
  return [...new Set(teams.map((t) => checkedTeam(t)))];
}

/** The tables forgetTeam clears (each has a team_id column). */
export const TEAM_TABLES = [
  'diagnoses',
  'daily_causes',
  'daily_channels',
  'votes',
  'channel_settings',
  'channel_kinds',
  'workspace_settings',
  // "Remind me before it expires": who, where and which platform, kept until a day after Slack posts it
  // (up to months ahead): an uninstall forgets them with the rest.
  'reminders',
  // Which org-wide install the workspace was served through (noteTeamEnterprise).
  'team_enterprises',
] as const;
