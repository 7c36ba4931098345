export type PortalErrorCode =
  | 'PORTAL_ADDRESS_INVALID'
  | 'PORTAL_NOT_FOUND'
  | 'PORTAL_UNREACHABLE'
  | 'NOT_A_PORTAL'
  | 'PORTAL_CERTIFICATE_PROBLEM'
  | 'OFFLINE'
  | 'WRONG_CREDENTIALS'
  | 'WRONG_OTP'
  | 'ACCOUNT_BLOCKED'
  | 'TOO_MANY_ATTEMPTS'
  | 'SIGN_IN_REFUSED'
  | 'ACCOUNT_NEEDS_PASSWORD';

/**
 * A failure talking to a portal, with a code the UI can act on and a message written for the
 * user. Messages never hold a password, a token or server output.
 */
export class PortalError extends Error {
  readonly userFacing = true as const;

  constructor(
    readonly code: PortalErrorCode,
    message: string,
    /** Seconds to wait, for TOO_MANY_ATTEMPTS. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'PortalError';
  }
}

const CERTIFICATE_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Turns a failed request into what the user should be told; `online` says whether any network is up. */
export function connectionError(error: unknown, host: string, online: boolean): PortalError {
  const code = causeCode(error);
  if (code && CERTIFICATE_ERRORS.has(code)) {
    return new PortalError(
      'PORTAL_CERTIFICATE_PROBLEM',
      `The security certificate of ${host} is not valid, so Portaldesk will not send your password there. Ask your administrator.`,
    );
  }
  if (!online || code === 'ENETUNREACH' || code === 'EAI_AGAIN') {
    return new PortalError('OFFLINE', 'You seem to be offline. Check your network connection and try again.');
  }
  if (code === 'ENOTFOUND') {
    return new PortalError('PORTAL_NOT_FOUND', `There is no ${host}. Check the portal address.`);
  }
  return new PortalError('PORTAL_UNREACHABLE', `${host} does not answer. Check the address, or try again later.`);
}
