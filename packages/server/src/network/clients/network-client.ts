/**
 * A party that may ask the Network to sign people in: a registered portal (confidential, with a
 * secret) or a native app such as the Portaldesk desktop (public, proving itself by PKCE only).
 */
export interface NetworkClient {
  clientId: string;
  kind: 'portal' | 'native';
  name: string;
  redirectUris: string[];
  /** The portal's origin (`https://acme.example.com`); null for native apps. */
  portalUrl: string | null;
}
