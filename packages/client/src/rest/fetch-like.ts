/**
 * The part of `fetch` the REST client uses: the browser's `fetch` fits, and so do undici's and
 * the desktop's own (which resolves `*.localhost` to this machine).
 */
export interface FetchLikeInit {
  method: string;
  headers: Record<string, string>;
  body: string;
  /** A page sends its session cookie with calls to its own portal. */
  credentials?: 'same-origin';
  signal?: AbortSignal;
}

export interface FetchLikeResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type FetchLike = (url: string, init: FetchLikeInit) => Promise<FetchLikeResponse>;

/** The browser's own fetch, bound so that it can be called detached from `window`. */
export const browserFetch: FetchLike = (url, init) => globalThis.fetch(url, init);
