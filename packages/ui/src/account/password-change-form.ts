import { MIN_PASSWORD_LENGTH } from '@portaldesk/protocol';

export interface PasswordChangeInput {
  current: string;
  next: string;
  repeated: string;
}

/** What is wrong with the form before anything is sent; null when it may be sent. */
export function passwordChangeProblem({ current, next, repeated }: PasswordChangeInput): string | null {
  if (!current) return 'Enter your current password.';
  if (next.length < MIN_PASSWORD_LENGTH)
    return `The new password must have at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (next !== repeated) return 'The new passwords differ.';
  if (next === current) return 'The new password is the same as the current one.';
  return null;
}

export function passwordChangedMessage(revokedSessions: number): string {
  if (revokedSessions === 0) return 'Password changed.';
  const sessions = revokedSessions === 1 ? '1 other session was' : `${revokedSessions} other sessions were`;
  return `Password changed. ${sessions} signed out.`;
}
