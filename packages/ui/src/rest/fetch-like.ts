/** The part of `fetch` the clients use; the browser's `fetch` fits, and so does undici's in tests. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; credentials?: 'same-origin' },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

/** The browser's own fetch, bound so that it can be called detached from `window`. */
export const browserFetch: FetchLike = (url, init) => globalThis.fetch(url, init);
