import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BridgeCallError, type callBridge } from '@portaldesk/protocol';
import { createLoginFlow } from './desktop-login-flow.ts';

type Bridge = typeof callBridge;

/** Records what the window asks the main process, and answers as a portal with two-factor would. */
function portalWithTwoFactor() {
  const calls: { channel: string; request: Record<string, unknown> }[] = [];
  const bridge = (async (channel: string, request: Record<string, unknown>) => {
    calls.push({ channel, request });
    if (channel === 'app.info')
      return { version: '0.1.0', vaultWarning: 'Kept in an encrypted file.', settingsWarning: null };
    if (channel === 'login.checkPortal') {
      if (request.address === 'shop.example.com')
        throw new BridgeCallError('NOT_A_PORTAL', 'shop.example.com is not a Bitrix24 portal.');
      return { origin: 'https://acme.example.com', host: 'acme.example.com' };
    }
    if (channel === 'login.signIn')
      return request.otp ? { status: 'signed-in', accountId: 'a1' } : { status: 'need-otp' };
    throw new Error(`unexpected ${channel}`);
  }) as unknown as Bridge;
  return { bridge, calls };
}

test('address first, then password, then the code; the password is forgotten once signed in', async () => {
  const { bridge, calls } = portalWithTwoFactor();
  const flow = createLoginFlow(bridge);
  await flow.start();
  assert.equal(flow.state.vaultWarning, 'Kept in an encrypted file.');

  flow.state.address = 'acme.example.com';
  await flow.checkAddress();
  assert.equal(flow.state.step, 'credentials');
  assert.equal(flow.state.host, 'acme.example.com');

  flow.state.login = 'ann@acme.example.com';
  flow.state.password = 'secret';
  await flow.signIn();
  assert.equal(flow.state.step, 'otp');

  flow.state.otp = ' 123456 ';
  await flow.signIn();
  assert.equal(flow.state.step, 'signed-in');
  assert.equal(flow.state.password, '');
  assert.deepEqual(calls.at(-1), {
    channel: 'login.signIn',
    request: { address: 'acme.example.com', login: 'ann@acme.example.com', password: 'secret', otp: '123456' },
  });
});

test('a failed check shows its message and stays on the address', async () => {
  const { bridge, calls } = portalWithTwoFactor();
  const flow = createLoginFlow(bridge);
  flow.state.address = 'shop.example.com';
  await flow.checkAddress();
  assert.equal(flow.state.step, 'address');
  assert.equal(flow.state.errorCode, 'NOT_A_PORTAL');
  assert.equal(flow.state.error, 'shop.example.com is not a Bitrix24 portal.');
  assert.equal(
    calls.some((c) => c.channel === 'login.signIn'),
    false,
    'no password was sent',
  );
});
