import { callBridge, type NetworkPortalChoice } from '@portaldesk/protocol';
import { reactive } from 'vue';
import { runBridgeStep } from '../bridge-step.ts';

type Bridge = typeof callBridge;

export interface NetworkFlowState {
  /** Null until the person signed in on the Network's page. */
  portals: NetworkPortalChoice[] | null;
  /** Ids of the portals ticked; added ones are never in it. */
  chosen: string[];
  busy: boolean;
  error: string;
}

/**
 * The login window's "Sign in with Network profile": the main process shows the Network's own
 * page (the password never reaches this window), then this lists the profile's portals; every
 * portal not yet added starts ticked, and one press adds them all.
 */
export function createNetworkSignInFlow(bridge: Bridge = callBridge) {
  const state = reactive<NetworkFlowState>({ portals: null, chosen: [], busy: false, error: '' });

  const run = (action: () => Promise<void>) => runBridgeStep(state, action);

  return {
    state,
    signIn: () =>
      run(async () => {
        const { portals } = await bridge('network.signIn', {});
        state.portals = portals;
        state.chosen = portals.filter((p) => !p.added).map((p) => p.id);
      }),
    toggle(portalId: string) {
      const portal = state.portals?.find((p) => p.id === portalId);
      if (!portal || portal.added) return;
      state.chosen = state.chosen.includes(portalId)
        ? state.chosen.filter((id) => id !== portalId)
        : [...state.chosen, portalId];
    },
    addAccounts: () =>
      run(async () => {
        if (state.chosen.length === 0) return;
        await bridge('network.addAccounts', { portalIds: [...state.chosen] });
        for (const portal of state.portals ?? []) if (state.chosen.includes(portal.id)) portal.added = true;
        state.chosen = [];
      }),
    /** Back to "Continue to the Network"; the accounts already added stay. */
    signOut: () =>
      run(async () => {
        await bridge('network.signOut', {});
        state.portals = null;
        state.chosen = [];
      }),
  };
}

export function addLabel(count: number): string {
  return count === 1 ? 'Add 1 account' : `Add ${count} accounts`;
}
