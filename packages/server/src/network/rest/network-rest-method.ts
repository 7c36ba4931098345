import type { z } from 'zod';
import type { NetworkClient } from '../clients/network-client.ts';
import type { NetworkContext } from '../network-context.ts';
import type { Profile } from '../profiles/profile.ts';

/** Who calls the Network's REST. */
export type NetworkCaller =
  | {
      kind: 'profile';
      profile: Profile;
      /** A bearer token of a client app, or the profile's own browser session. */
      via: 'token' | 'session';
      /** Scopes of the token; `all` for the profile's own session. */
      scope: ReadonlySet<string> | 'all';
      /** Sessions must prove intent with `sessid`; tokens carry their own proof. */
      mayChangeState: boolean;
    }
  /** A registered portal on the back channel, authenticated with its client secret. */
  | { kind: 'portal'; client: NetworkClient }
  | { kind: 'anyone' };

export interface NetworkRestMethod<Schema extends z.ZodType = z.ZodType> {
  /** Lower case: `network.portal.list`. */
  name: string;
  caller: NetworkCaller['kind'];
  /** For profile callers holding a token: the scope the token must have. */
  scope?: string;
  readOnly: boolean;
  params: Schema;
  /** Parameters that carry a secret: refused in an address, as on the portal (`rest/secret-params.ts`). */
  secretParams?: readonly string[];
  handle(call: { caller: NetworkCaller; params: z.output<Schema>; network: NetworkContext }): Promise<unknown>;
}

export function networkRestMethod<Schema extends z.ZodType>(
  method: NetworkRestMethod<Schema>,
): NetworkRestMethod<Schema> {
  return method;
}
