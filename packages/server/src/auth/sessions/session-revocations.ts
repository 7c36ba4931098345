/** A session that has just ended: revoked, signed out, or ended with its app password. */
export interface SessionRevocation {
  portalId: number;
  userId: number;
  /** The session's public id, which is also the `credentialId` of its AuthContext. */
  sessionId: string;
}

/** `local`: revoked in this process; `remote`: forwarded from another process. */
export type RevocationOrigin = 'local' | 'remote';

/** May return a promise: a local revocation is complete (and answered) only once every listener is done. */
export type SessionRevocationListener = (
  revocation: SessionRevocation,
  origin: RevocationOrigin,
) => void | Promise<void>;

/**
 * The in-process signal that a session has ended. The session cache drops it at once; the
 * realtime layer closes its sockets and forwards `local` revocations to the other processes,
 * which hand them back in with {@link deliverRemote} (and do not forward those again).
 */
export class SessionRevocations {
  private readonly listeners = new Set<SessionRevocationListener>();

  subscribe(listener: SessionRevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once every listener has finished, so the sign-out that caused it is answered only
   * after the session's realtime channels stopped working (a reconnect right after cannot win).
   * Listeners handle their own failures; one failing does not stop the others.
   */
  async publish(revocation: SessionRevocation): Promise<void> {
    await this.notify(revocation, 'local');
  }

  deliverRemote(revocation: SessionRevocation): void {
    void this.notify(revocation, 'remote');
  }

  private async notify(revocation: SessionRevocation, origin: RevocationOrigin): Promise<void> {
    await Promise.allSettled([...this.listeners].map(async (listener) => listener(revocation, origin)));
  }
}
