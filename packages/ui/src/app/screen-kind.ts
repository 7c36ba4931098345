import { useMediaQuery } from '@vueuse/core';
import type { Ref } from 'vue';

/** Below Tailwind's `md` (768px): a phone, or a window as narrow as one. */
export const NARROW_SCREEN_QUERY = '(max-width: 767.98px)';
/** A mouse or a touchpad: a pointer that hovers, usually beside a keyboard. */
export const MOUSE_QUERY = '(hover: hover) and (pointer: fine)';

/** Whether the screen is too narrow for panes side by side; follows rotation and resizing. */
export function useNarrowScreen(): Readonly<Ref<boolean>> {
  return useMediaQuery(NARROW_SCREEN_QUERY);
}

/** Whether the person points with a mouse: keyboard shortcut hints are for them, not for a finger. */
export function useMousePointer(): Readonly<Ref<boolean>> {
  return useMediaQuery(MOUSE_QUERY);
}
