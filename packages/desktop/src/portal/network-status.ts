import { networkInterfaces } from 'node:os';

/** True when some network interface other than loopback has an address. */
export function hasNetwork(): boolean {
  return Object.values(networkInterfaces()).some((addresses) => addresses?.some((a) => !a.internal));
}
