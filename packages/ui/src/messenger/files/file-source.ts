import { type InjectionKey, inject, reactive } from 'vue';
import { sameOriginImage } from '../components/same-origin-image.ts';

/**
 * Where the screens get a chat file from. The portal's pages load it from the portal itself
 * (their session cookie goes along); the desktop chat window has no session and asks its main
 * process for the bytes, which it shows from a `blob:` address.
 */
export interface FileSource {
  /** An address the page may load the file from; undefined when it cannot be had. */
  address(url: string): Promise<string | undefined>;
  /** Saves the file as `name` on the person's machine. */
  download(url: string, name: string): Promise<void>;
}

export const FILE_SOURCE: InjectionKey<FileSource> = Symbol('chat file source');

/** The file's path on this portal; addresses of any other origin are never loaded. */
export function portalPath(url: string): string | undefined {
  const path =
    typeof location !== 'undefined' && url.startsWith(location.origin) ? url.slice(location.origin.length) : url;
  return sameOriginImage(path);
}

/** The portal's own pages: the address as it is, on this origin. */
export const pageFileSource: FileSource = {
  address: async (url) => portalPath(url),
  async download(url, name) {
    const path = portalPath(url);
    if (path) saveFrom(path, name);
  },
};

/** Saves what `address` holds as `name`, as a click on a download link does. */
export function saveFrom(address: string, name: string): void {
  const link = document.createElement('a');
  link.href = address;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * The addresses of files as the page's source gives them, filled in as they come: undefined
 * while one is on its way, so that the picture's place is kept meanwhile.
 */
export function useFileAddresses() {
  const source = inject(FILE_SOURCE, pageFileSource);
  const known = reactive(new Map<string, string>());
  const asked = new Set<string>();
  return {
    source,
    addressOf(url: string): string | undefined {
      if (!url) return undefined;
      if (!asked.has(url)) {
        asked.add(url);
        void source.address(url).then((address) => {
          if (address) known.set(url, address);
        });
      }
      return known.get(url);
    },
  };
}
