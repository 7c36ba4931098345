import { hostname, release, type } from 'node:os';
import type { QrDeviceDescription } from '@portaldesk/protocol';
import type { DesktopIdentity } from '../portal/desktop-sign-in.ts';

/**
 * How this computer introduces itself to the phone that approves a QR sign-in: the name the user
 * gave the computer (what they will recognise) and the operating system.
 */
export function qrDeviceDescription(identity: DesktopIdentity): QrDeviceDescription {
  return {
    deviceName: hostname().trim().slice(0, 100) || 'Computer',
    os: operatingSystem(),
    user_os_mark: identity.osMark,
    user_account: identity.osAccount,
  };
}

function operatingSystem(): string {
  switch (type()) {
    case 'Darwin':
      return 'macOS';
    case 'Windows_NT':
      return `Windows ${release().split('.')[0] === '10' ? '10 or 11' : release()}`.slice(0, 60);
    default:
      return type().slice(0, 60) || 'Unknown';
  }
}
