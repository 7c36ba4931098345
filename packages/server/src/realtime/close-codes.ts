/** Close codes the official client understands. */
export const CloseCode = {
  serverGoingAway: 1001,
  /** The client reloads its config; with a revoked credential that fails and it stops. */
  wrongChannel: 4010,
  channelExpired: 3001,
  tryAgainLater: 1013,
} as const;
