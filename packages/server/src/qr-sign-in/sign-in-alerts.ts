import type { NewSignInAlert } from '@portaldesk/protocol';

export interface NewSignIn {
  portalId: number;
  userId: number;
  attemptId: string;
  alert: NewSignInAlert;
}

/**
 * Tells a user's other sessions about a new sign-in: the messenger's system notification
 * (`messenger-sign-in-alerts.ts`); another channel (e-mail) would implement this too.
 */
export interface SignInAlerts {
  newSignIn(signIn: NewSignIn): Promise<void>;
}
