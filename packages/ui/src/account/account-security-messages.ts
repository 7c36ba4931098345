import { RestCallError } from '@portaldesk/client';

/** What to tell the person when an account-security call fails. Never the password or code. */
export function accountSecurityFailureMessage(error: unknown): string {
  if (!(error instanceof RestCallError)) return 'Something went wrong. Try again.';
  switch (error.code) {
    case 'WRONG_PASSWORD':
      return 'The current password is wrong.';
    case 'ERROR_ARGUMENT':
      return 'That code is wrong or was already used. Enter the newest code from your app.';
    case 'QUERY_LIMIT_EXCEEDED':
      return 'Too many wrong attempts. Wait a few minutes, then try again.';
    case 'NOT_FOUND':
      return 'It has already ended. The list is up to date now.';
    case 'INVALID_ARG_VALUE':
      // The server names the parameter (`NEW_PASSWORD: …`); the person needs only the reason.
      return error.description.replace(/^[A-Z_]+: /, '') || 'Check what you entered.';
    case 'NETWORK_ERROR':
      return 'The portal could not be reached. Check the connection and try again.';
    default:
      return `Something went wrong (${error.code}). Try again.`;
  }
}
