/** An OAuth 2.0 error (RFC 6749 §5.2), answered as `{error, error_description}`. */
export class OAuthError extends Error {
  constructor(
    readonly code:
      | 'invalid_request'
      | 'invalid_client'
      | 'invalid_grant'
      | 'unauthorized_client'
      | 'unsupported_grant_type'
      | 'invalid_scope'
      | 'access_denied'
      | 'unsupported_response_type',
    readonly description: string,
    readonly status = code === 'invalid_client' ? 401 : 400,
  ) {
    super(`${code}: ${description}`);
  }

  toJSON() {
    return { error: this.code, error_description: this.description };
  }
}
