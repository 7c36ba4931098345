import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifySignInAnswer, signInWithPassword } from './password-sign-in.ts';
import { signInFailureMessage } from './sign-in-messages.ts';

test('a successful answer gives the user id and the sessid', () => {
  const body = JSON.stringify({
    success: true,
    desktopRevision: 8,
    userId: 5,
    sessionId: 'abc',
    bitrixSessionId: 'csrf',
  });
  assert.deepEqual(classifySignInAnswer(200, body, null), { kind: 'signedIn', session: { userId: 5, sessid: 'csrf' } });
});

test('needOtp asks for the code', () => {
  assert.deepEqual(classifySignInAnswer(401, '{"success":false,"needOtp":true}', null), { kind: 'needOtp' });
});

test('each failure kind is told apart; unknown login and wrong password look the same', () => {
  assert.deepEqual(classifySignInAnswer(401, '{"success":false}', null), {
    kind: 'failed',
    reason: 'wrongCredentials',
  });
  assert.deepEqual(classifySignInAnswer(401, '{"success":false,"code":"blocked_type"}', null), {
    kind: 'failed',
    reason: 'deactivated',
  });
  assert.deepEqual(classifySignInAnswer(401, '{"success":false,"needOtp":true,"code":"wrong_otp"}', null), {
    kind: 'failed',
    reason: 'wrongOtp',
  });
  assert.deepEqual(classifySignInAnswer(429, '{"success":false,"code":"too_many_attempts"}', '120'), {
    kind: 'failed',
    reason: 'tooManyAttempts',
    retryAfterSeconds: 120,
  });
  assert.deepEqual(classifySignInAnswer(502, '<html>bad gateway</html>', null), { kind: 'failed', reason: 'network' });
  assert.deepEqual(classifySignInAnswer(200, '{"success":true}', null), { kind: 'failed', reason: 'unexpected' });
});

test('an unreachable portal is a network error', async () => {
  const outcome = await signInWithPassword(
    async () => {
      throw new TypeError('fetch failed');
    },
    { login: 'a', password: 'b' },
  );
  assert.deepEqual(outcome, { kind: 'failed', reason: 'network' });
});

test('the form is posted as Bitrix24 expects, the code only when there is one', async () => {
  const sent: string[] = [];
  const fetch = async (_url: string, init: { body: string }) => {
    sent.push(init.body);
    return { status: 401, headers: { get: () => null }, text: async () => '{"success":false,"needOtp":true}' };
  };
  await signInWithPassword(fetch, { login: 'anna@acme.test', password: 'p&ss=1' });
  await signInWithPassword(fetch, { login: 'anna@acme.test', password: 'p&ss=1', otp: '123456' });
  assert.deepEqual(Object.fromEntries(new URLSearchParams(sent[0])), {
    action: 'login',
    login: 'anna@acme.test',
    password: 'p&ss=1',
    json: 'y',
  });
  assert.equal(new URLSearchParams(sent[1]).get('otp'), '123456');
});

test('messages: the wait is told in words', () => {
  assert.equal(signInFailureMessage('tooManyAttempts', 30), 'Too many attempts. Try again in 30 s.');
  assert.equal(signInFailureMessage('tooManyAttempts', 600), 'Too many attempts. Try again in 10 minutes.');
  assert.equal(signInFailureMessage('wrongCredentials'), 'Incorrect login or password.');
});
