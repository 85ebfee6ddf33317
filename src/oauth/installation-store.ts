/**
 * Bolt's InstallationStore (store / fetch / delete) over the store's installations table, with every
 * installation sealed by TOKEN_ENCRYPTION_KEY before it is written.
 *
 * Keys, as ../shared/SLACK-NOTES.md has them:
 * - a workspace install by its team id (`T:<team>`), also inside an Enterprise Grid org;
 * - an org-wide install (`isEnterpriseInstall`) by its enterprise id (`E:<enterprise>`): a query with
 *   `isEnterpriseInstall` true looks it up by `enterpriseId`, whatever workspace of the org `teamId` names.
 * An unknown team throws: never another install's token.
 *
 * Key rotation (TOKEN_ENCRYPTION_KEY "new,old"): an installation sealed with an older key is sealed
 * again under the new one when it is read (and anything saved is sealed under the new one), so rows move
 * over as their workspaces are used; the replace is conditional, so it never undoes a newer save.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { InstallContext, InstallLifecycle, UninstallOutcome } from '../listeners/deps';
import type { Log } from '../log';
import type { InstallationRows } from '../store/installations';
import { TokenCipher, TokenKeyError } from './crypto';

/** No installation for this workspace or org: Bolt turns it into an authorization error (no listener runs). */
export class UnknownInstallationError extends Error {
  constructor(readonly key: string) {
    super(`no installation for ${key}`);
    this.name = 'UnknownInstallationError';
  }
}

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

/** Which row a Bolt query (from an incoming request's authorizations, or a deletion) means. */
export function keyForQuery(query: InstallationQuery<boolean>): string {
  if (query.isEnterpriseInstall) {
    if (!query.enterpriseId)
      throw new UnknownInstallationError('an org-wide install without an enterprise id');
    return `E:${query.enterpriseId}`;
  }
  if (!query.teamId) throw new UnknownInstallationError('a request without a team id');
  return `T:${query.teamId}`;
}

/** Which row an installation (from the OAuth flow, or a token refresh) is kept in. */
export function keyForInstallation(installation: AnyInstallation): string {
  if (installation.isEnterpriseInstall) {
    const enterprise = installation.enterprise?.id;
    if (!enterprise) throw new Error('an org-wide installation without an enterprise id');
    return `E:${enterprise}`;
  }
  const team = installation.team?.id;
  if (!team) throw new Error('a workspace installation without a team id');
  return `T:${team}`;
}

const KEY_CHECK = 'token_key_check';
const KEY_CHECK_TEXT = 'tokenfix: TOKEN_ENCRYPTION_KEY check';

export class Installations implements InstallationStore, InstallLifecycle {
  private readonly cipher: TokenCipher;

  constructor(
    private readonly rows: InstallationRows,
    tokenEncryptionKey: string,
    private readonly log?: Log,
  ) {
    this.cipher = new TokenCipher(tokenEncryptionKey);
  }

  /**
   * Fails with TokenKeyError (one line) when TOKEN_ENCRYPTION_KEY is not the key this store's
   * installations were sealed with. The first replica to start seals a check value; the others open it.
   */
  async verifyKey(): Promise<void> {
    const stored = await this.rows.metaOnce(KEY_CHECK, this.cipher.seal(KEY_CHECK_TEXT, KEY_CHECK));
    const check = this.cipher.read(stored, KEY_CHECK);
    if (check.plaintext !== KEY_CHECK_TEXT) throw new Error('unexpected key check value');
    // Rotated: from now on the check is against the new key, so the old one can be dropped later.
    if (!check.current)
      await this.rows.metaReplace(KEY_CHECK, stored, this.cipher.seal(KEY_CHECK_TEXT, KEY_CHECK));
  }

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(
    installation: Installation<AuthVersion, boolean>,
  ): Promise<void> {
    const key = keyForInstallation(installation);
    await this.rows.save({
      key,
      enterpriseId: installation.enterprise?.id ?? null,
      teamId: installation.isEnterpriseInstall ? null : (installation.team?.id ?? null),
      isEnterpriseInstall: installation.isEnterpriseInstall === true,
      sealed: this.cipher.seal(JSON.stringify(installation), key),
    });
    this.log?.debug('installation saved', {
      key,
      tokenRotation: installation.bot?.expiresAt !== undefined,
    });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<AnyInstallation> {
    const key = keyForQuery(query);
    const row = await this.rows.find(key);
    if (!row) throw new UnknownInstallationError(key);
    // Sealed with its own key as additional data: a row's value opens only on that row.
    let opened: { plaintext: string; current: boolean };
    try {
      opened = this.cipher.read(row.sealed, key);
    } catch (error) {
      throw this.unreadable(key, error);
    }
    if (!opened.current) await this.resealed(key, row.sealed, opened.plaintext);
    return JSON.parse(opened.plaintext) as AnyInstallation;
  }

  /** Seals a row read under an older key again under the current one; a failure only delays that. */
  private async resealed(key: string, sealed: string, plaintext: string): Promise<void> {
    try {
      const replaced = await this.rows.reseal(key, sealed, this.cipher.seal(plaintext, key));
      this.log?.info('installation sealed again under the current TOKEN_ENCRYPTION_KEY', {
        key,
        keyId: this.cipher.currentKeyId,
        replaced,
      });
    } catch (error) {
      this.log?.warn('could not seal an installation again under the current key', {
        key,
        error: (error as Error).message,
      });
    }
  }

  /** One line naming the row and TOKEN_ENCRYPTION_KEY: what to do about an installation no key opens. */
  private unreadable(key: string, error: unknown): unknown {
    if (!(error instanceof TokenKeyError)) return error;
    const message = error.missingKeyId
      ? `tokenfix: installation ${key} is sealed with a key that is not in TOKEN_ENCRYPTION_KEY (key id ${error.missingKeyId}): add that key back after the current one, comma-separated, or reinstall the app in that workspace`
      : `tokenfix: installation ${key} does not open with any key in TOKEN_ENCRYPTION_KEY: ${error.message.replace(/^tokenfix: /, '')}`;
    this.log?.error('installation unreadable', { key, keyId: error.missingKeyId, problem: message });
    return new TokenKeyError(message, error.missingKeyId);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = keyForQuery(query);
    const removed = await this.rows.remove(key);
    this.log?.info('installation deleted', { key, found: removed });
  }

  /**
   * `app_uninstalled`: the install's tokens, and what the store kept about its workspace, or for an
   * org-wide install about every workspace it served (but one with an install of its own). Mirrored: a
   * workspace's own uninstall keeps the workspace's data while the org-wide install it was served
   * through is still installed (that install goes on using it; the org's uninstall forgets it).
   */
  async uninstalled(context: InstallContext): Promise<UninstallOutcome> {
    // Throws for an org-wide install without an enterprise id: there is no org to forget either.
    await this.deleteInstallation(queryFor(context));
    if (context.isEnterpriseInstall && context.enterpriseId) {
      const teams = await this.rows.forgetEnterprise(context.enterpriseId);
      this.log?.info('org workspaces forgotten', { enterprise: context.enterpriseId, teams: teams.length });
      return { forgotten: teams };
    }
    if (context.teamId && !context.isEnterpriseInstall) {
      // After the delete above: an org uninstall running meanwhile sees no install of the workspace's
      // own and forgets it itself, so the workspace is never kept by both.
      const org = await this.rows.forgetUninstalledTeam(context.teamId);
      if (org === null) return { forgotten: [context.teamId] };
      this.log?.info('workspace data kept: the org-wide install still serves the workspace', {
        team: context.teamId,
        enterprise: org,
      });
      return { forgotten: [], keptForOrg: org };
    }
    return { forgotten: [] };
  }

  /** `tokens_revoked` naming bot tokens: the installation can't be used any more. */
  async tokensRevoked(context: InstallContext, tokens: { bot?: unknown; oauth?: unknown }): Promise<void> {
    const bots = Array.isArray(tokens.bot) ? tokens.bot : [];
    if (bots.length === 0) return;
    await this.deleteInstallation(queryFor(context));
  }

  count(): Promise<number> {
    return this.rows.count();
  }
}

function queryFor(context: InstallContext): InstallationQuery<boolean> {
  return {
    teamId: context.teamId,
    enterpriseId: context.enterpriseId,
    isEnterpriseInstall: context.isEnterpriseInstall === true,
  } as InstallationQuery<boolean>;
}
