import type { Migration } from './migration.ts';

/**
 * OAuth applications registered by the portal's administrators: when their secret last changed,
 * and each user's consent, remembered per application with the scopes it covers so that the
 * consent screen comes back only when an application asks for more.
 */
export const oauthConsents: Migration = {
  version: 12,
  name: 'oauth consents',
  sql: `
    ALTER TABLE oauth_apps ADD COLUMN secret_rotated_at timestamptz;
    CREATE INDEX oauth_apps_portal ON oauth_apps (portal_id, id);
    CREATE INDEX oauth_token_families_app ON oauth_token_families (app_id);
    CREATE INDEX oauth_authorization_codes_app ON oauth_authorization_codes (app_id);

    CREATE TABLE oauth_consents (
      app_id integer NOT NULL REFERENCES oauth_apps(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id),
      portal_id integer NOT NULL REFERENCES portals(id),
      scopes text[] NOT NULL,
      granted_at timestamptz NOT NULL,
      PRIMARY KEY (app_id, user_id)
    );
  `,
};
