import { callBridge } from '@portaldesk/protocol';
import { reactive } from 'vue';
import { runBridgeStep } from './bridge-step.ts';

export type LoginStep = 'address' | 'credentials' | 'otp' | 'signed-in';

/** How the person signs in: by password (the steps above), with a Network profile, or by QR code. */
export type SignInMethod = 'password' | 'network' | 'qr';

export interface LoginState {
  method: SignInMethod;
  step: LoginStep;
  address: string;
  /** The checked portal, shown above the login and password fields. */
  host: string;
  login: string;
  password: string;
  otp: string;
  busy: boolean;
  error: string;
  /** Code of the last error, for tests and for choosing which field to focus. */
  errorCode: string;
  /** Shown all the time when secrets are not in the OS keyring. */
  vaultWarning: string;
}

type Bridge = typeof callBridge;

/**
 * The desktop login window's steps: the portal address is checked first (no password goes to
 * an address that is not a portal), then login and password, then the one-time code if the
 * account has two-factor sign-in.
 */
export function createLoginFlow(bridge: Bridge = callBridge) {
  const state = reactive<LoginState>({
    method: 'password',
    step: 'address',
    address: '',
    host: '',
    login: '',
    password: '',
    otp: '',
    busy: false,
    error: '',
    errorCode: '',
    vaultWarning: '',
  });

  const run = (action: () => Promise<void>) => runBridgeStep(state, action);

  return {
    state,
    /**
     * `address`: a portal named by a `portaldesk://` link the desktop has no account for, or the
     * portal of a signed-out account, whose `login` comes with it.
     */
    start: (address = '', login = '') =>
      run(async () => {
        state.address ||= address;
        state.login ||= login;
        const info = await bridge('app.info', {});
        state.vaultWarning = info.vaultWarning ?? '';
      }),
    checkAddress: () =>
      run(async () => {
        const portal = await bridge('login.checkPortal', { address: state.address });
        state.host = portal.host;
        state.step = 'credentials';
      }),
    signIn: () =>
      run(async () => {
        const otp = state.step === 'otp' ? state.otp.trim() : undefined;
        const result = await bridge('login.signIn', {
          address: state.address,
          login: state.login,
          password: state.password,
          ...(otp ? { otp } : {}),
        });
        if (result.status === 'need-otp') {
          state.step = 'otp';
          return;
        }
        state.password = '';
        state.otp = '';
        state.step = 'signed-in';
      }),
    /** Switches between password, Network profile and QR code sign-in; each starts afresh. */
    choose: (method: SignInMethod) => {
      state.method = method;
      state.step = 'address';
      state.password = '';
      state.otp = '';
      state.error = '';
      state.errorCode = '';
    },
    back: () => {
      state.step = 'address';
      state.password = '';
      state.otp = '';
      state.error = '';
    },
  };
}
