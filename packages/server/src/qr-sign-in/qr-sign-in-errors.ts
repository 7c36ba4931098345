import { QR_SIGN_IN_ERROR_STATUS, type QrSignInErrorCode } from '@portaldesk/protocol';
import { RestError } from '../rest/rest-error.ts';

export function qrError(code: QrSignInErrorCode, description: string): RestError {
  return new RestError(code, description, QR_SIGN_IN_ERROR_STATUS[code]);
}

/** Unknown attempt and wrong desktop secret look alike, so the answer reveals neither. */
export function noSuchAttempt(): RestError {
  return new RestError('NOT_FOUND', 'There is no such sign-in attempt');
}
