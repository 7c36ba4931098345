import { type ComputedRef, computed } from 'vue';
import { useFileAddresses } from '../files/file-source.ts';
import { sameOriginImage } from './same-origin-image.ts';

/**
 * Where a screen loads a photo or chat picture from: the portal's own address on its pages, a
 * `blob:` address the desktop chat window (which holds no session) gets from its main process.
 * Undefined while on its way or when there is none: the monogram shows meanwhile.
 */
export function usePictureAddress(url: () => string | undefined): ComputedRef<string | undefined> {
  const { addressOf } = useFileAddresses();
  return computed(() => {
    const path = sameOriginImage(url());
    return path ? addressOf(path) : undefined;
  });
}

/** The same, for a list of pictures drawn by one component (authors in the history). */
export function usePictureAddresses(): (url: string | undefined) => string | undefined {
  const { addressOf } = useFileAddresses();
  return (url) => {
    const path = sameOriginImage(url);
    return path ? addressOf(path) : undefined;
  };
}
