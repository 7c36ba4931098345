import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BridgeCallError, type callBridge } from '@portaldesk/protocol';
import { addLabel, createNetworkSignInFlow } from './network-sign-in-flow.ts';

type Bridge = typeof callBridge;

const portal = (id: string, added: boolean) => ({
  id,
  name: `Portal ${id}`,
  address: `https://${id}.example.com`,
  userName: 'Carol Davis',
  reachable: true,
  added,
});

test('portals not yet added start ticked; added ones cannot be ticked; one press adds the chosen', async () => {
  const calls: { channel: string; request: unknown }[] = [];
  const bridge = (async (channel: string, request: unknown) => {
    calls.push({ channel, request });
    if (channel === 'network.signIn') return { portals: [portal('a', false), portal('b', true), portal('c', false)] };
    if (channel === 'network.addAccounts') return { accountIds: ['1', '2'] };
    throw new Error(`unexpected ${channel}`);
  }) as unknown as Bridge;
  const flow = createNetworkSignInFlow(bridge);
  await flow.signIn();
  assert.deepEqual(flow.state.chosen, ['a', 'c']);
  flow.toggle('b');
  assert.deepEqual(flow.state.chosen, ['a', 'c'], 'an added portal is not offered again');
  flow.toggle('c');
  flow.toggle('c');
  assert.equal(addLabel(flow.state.chosen.length), 'Add 2 accounts');
  await flow.addAccounts();
  assert.deepEqual(calls.at(-1), { channel: 'network.addAccounts', request: { portalIds: ['a', 'c'] } });
  assert.deepEqual(
    flow.state.portals?.map((p) => p.added),
    [true, true, true],
  );
  assert.equal(addLabel(1), 'Add 1 account');
});

test('a refusal from the main process is shown and nothing is listed', async () => {
  const bridge = (async () => {
    throw new BridgeCallError('NETWORK_SIGN_IN_DENIED', 'The Network refused the sign-in');
  }) as unknown as Bridge;
  const flow = createNetworkSignInFlow(bridge);
  await flow.signIn();
  assert.equal(flow.state.error, 'The Network refused the sign-in');
  assert.equal(flow.state.portals, null);
});

test('signing out of the Network goes back to the first step and forgets the list', async () => {
  const calls: string[] = [];
  const bridge = (async (channel: string) => {
    calls.push(channel);
    if (channel === 'network.signIn') return { portals: [portal('a', false)] };
    if (channel === 'network.signOut') return {};
    throw new Error(`unexpected ${channel}`);
  }) as unknown as Bridge;
  const flow = createNetworkSignInFlow(bridge);
  await flow.signIn();
  await flow.signOut();
  assert.deepEqual(calls, ['network.signIn', 'network.signOut']);
  assert.equal(flow.state.portals, null);
  assert.deepEqual(flow.state.chosen, []);
  assert.equal(flow.state.error, '');
});
