/**
 * Waits, polling, until `condition` holds: what a person would see happen sooner or later (a
 * notification shown, a count in the tray). Fails naming `what` when it has not within `ms`.
 */
export async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
