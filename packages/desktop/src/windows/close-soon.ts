import type { Page } from 'playwright-core';

/** Closes after the bridge call has answered, so the window sees its result first. */
export async function closeSoon(page: Page): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  await page.close().catch(() => undefined);
}
