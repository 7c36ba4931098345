/**
 * Node's options for the installed app's main process: the launcher passes them, and
 * `bench:desktop` runs the built app with them, so the bench measures what users run.
 *
 * `--max-semi-space-size=1` (MB): Node 20 lets the young generation grow to 3 × 16 MB, which the
 * main process, idle most of its life between small bursts of messages, keeps resident.
 * Measured with one account and the chat window open: about 20 MB less resident (487 → 468 MB for
 * the app's processes, pages counted once), main-process CPU to the login window unchanged.
 */
export const BUILT_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=1'];
