import {
  ActiveSessionInfoSchema,
  AppPasswordInfoSchema,
  OtpConfirmationSchema,
  OtpEnrollmentSchema,
  OtpStatusSchema,
  type SessionsEnded,
  SessionsEndedSchema,
} from '@portaldesk/protocol';
import { z } from 'zod';
import type { RestClient } from '../rest/rest-client.ts';

export type {
  ActiveSessionInfo,
  AppPasswordInfo,
  OtpConfirmation,
  OtpEnrollment,
  OtpStatus,
} from '@portaldesk/protocol';

/** The signed-in user's own sessions, application passwords, password and two-factor sign-in. */
export class AccountSecurityApi {
  constructor(private readonly rest: RestClient) {}

  async sessions() {
    return z.array(ActiveSessionInfoSchema).parse(await this.rest.call('portaldesk.session.list'));
  }

  async revokeSession(id: string): Promise<void> {
    await this.rest.call('portaldesk.session.revoke', { ID: id });
  }

  async revokeOtherSessions(): Promise<SessionsEnded> {
    return SessionsEndedSchema.parse(await this.rest.call('portaldesk.session.revokeOthers'));
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<SessionsEnded> {
    return SessionsEndedSchema.parse(
      await this.rest.call('portaldesk.password.change', {
        CURRENT_PASSWORD: currentPassword,
        NEW_PASSWORD: newPassword,
      }),
    );
  }

  async appPasswords() {
    return z.array(AppPasswordInfoSchema).parse(await this.rest.call('portaldesk.apppassword.list'));
  }

  async revokeAppPassword(id: number): Promise<void> {
    await this.rest.call('portaldesk.apppassword.revoke', { ID: id });
  }

  async otpStatus() {
    return OtpStatusSchema.parse(await this.rest.call('portaldesk.otp.status'));
  }

  async beginOtpEnrollment() {
    return OtpEnrollmentSchema.parse(await this.rest.call('portaldesk.otp.enroll'));
  }

  async confirmOtp(code: string) {
    return OtpConfirmationSchema.parse(await this.rest.call('portaldesk.otp.confirm', { CODE: code }));
  }

  /** With a code from the app (or a recovery code), or with the account password. */
  async disableOtp(proof: { code: string } | { password: string }): Promise<void> {
    await this.rest.call(
      'portaldesk.otp.disable',
      'code' in proof ? { CODE: proof.code } : { PASSWORD: proof.password },
    );
  }
}
