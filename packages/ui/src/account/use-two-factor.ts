import { ref } from 'vue';
import type { AccountSecurityApi, OtpEnrollment, OtpStatus } from './account-security-api.ts';
import { accountSecurityFailureMessage } from './account-security-messages.ts';

/**
 * Two-factor sign-in as the profile page walks through it: off → enrolling (QR and secret,
 * confirm with a code) → the recovery codes, shown once → on; and back off with a code or the
 * password.
 */
export type TwoFactorStep =
  | { kind: 'loading' }
  | { kind: 'unavailable' }
  | { kind: 'off' }
  | { kind: 'enrolling'; enrollment: OtpEnrollment }
  | { kind: 'recoveryCodes'; codes: string[] }
  | { kind: 'on'; status: OtpStatus };

export function useTwoFactor(api: AccountSecurityApi) {
  const step = ref<TwoFactorStep>({ kind: 'loading' });
  const busy = ref(false);
  const error = ref('');

  async function attempt(action: () => Promise<void>) {
    if (busy.value) return;
    busy.value = true;
    error.value = '';
    try {
      await action();
    } catch (failure) {
      error.value = accountSecurityFailureMessage(failure);
    } finally {
      busy.value = false;
    }
  }

  async function load() {
    try {
      const status = await api.otpStatus();
      step.value = status.enabled ? { kind: 'on', status } : { kind: 'off' };
    } catch {
      step.value = { kind: 'unavailable' };
    }
  }

  return {
    step,
    busy,
    error,
    load,
    begin: () =>
      attempt(async () => {
        step.value = { kind: 'enrolling', enrollment: await api.beginOtpEnrollment() };
      }),
    confirm: (code: string) =>
      attempt(async () => {
        step.value = { kind: 'recoveryCodes', codes: (await api.confirmOtp(code)).recoveryCodes };
      }),
    /** A problem found before anything is sent. */
    refuse: (message: string) => {
      error.value = message;
    },
    cancel: () => {
      error.value = '';
      step.value = { kind: 'off' };
    },
    /** The person has saved the recovery codes; they are not shown again. */
    finish: load,
    disable: (proof: { code: string } | { password: string }) =>
      attempt(async () => {
        await api.disableOtp(proof);
        step.value = { kind: 'off' };
      }),
  };
}
