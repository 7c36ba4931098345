import type { SignInFailure } from './password-sign-in.ts';

/** What the sign-in form says for each failure. One message for unknown login and wrong password. */
export function signInFailureMessage(reason: SignInFailure, retryAfterSeconds?: number, place = 'portal'): string {
  switch (reason) {
    case 'wrongCredentials':
      return 'Incorrect login or password.';
    case 'wrongOtp':
      return 'The code is not correct. Enter the current code from your authenticator app.';
    case 'tooManyAttempts':
      return retryAfterSeconds
        ? `Too many attempts. Try again in ${formatWait(retryAfterSeconds)}.`
        : 'Too many attempts. Try again later.';
    case 'deactivated':
      return 'This account is deactivated. Contact your portal administrator.';
    case 'network':
      return `The ${place} cannot be reached. Check your connection and try again.`;
    case 'unexpected':
      return `Something went wrong on the ${place}. Try again.`;
  }
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
