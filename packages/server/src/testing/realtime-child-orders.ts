/** What a test or benchmark asks of a realtime child process (`realtime-child.ts`), and its answers. */

export type ChildOrder =
  | { type: 'config'; portalId: number; userId: number; credentialId: string; id: number }
  | {
      type: 'publish';
      portalId: number;
      userIds: number[];
      n: number;
      params?: Record<string, unknown>;
      /** False: pushed without being stored (as typing is), to time the delivery path alone. */
      stored?: boolean;
      id: number;
    }
  | { type: 'revoke'; credentialId: string; id: number }
  /** Sets how fast a user's clients may publish (the limit is shared through Redis; each process reads its own settings). */
  | { type: 'publish-limit'; burst: number; drainPerSecond: number; id: number }
  /** Opens a real session for the user (as signing in does); answers its id, cookie token and sessid. */
  | { type: 'open-session'; portalId: number; userId: number; id: number }
  /** Signs the session out through the session service, which announces the revocation. */
  | { type: 'sign-out'; portalId: number; userId: number; sessionId: string; id: number }
  /** Creates a portal with `users` users (benchmarks on a managed cluster, which only this process can open). */
  | { type: 'setup'; domain: string; users: number; id: number }
  /** Memory (after a full collection when the process runs with --expose-gc) and CPU time used so far. */
  | { type: 'memory'; id: number }
  /** CPU time used so far (µs), without the collections `memory` makes, which would count as CPU. */
  | { type: 'cpu'; id: number };

export type ChildReport = { type: 'listening'; port: number } | { type: 'answer'; id: number; value: unknown };

/** A session as a signed-in client holds it. */
export interface ChildSession {
  id: string;
  token: string;
  sessid: string;
}
