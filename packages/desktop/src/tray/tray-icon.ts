/** One icon image as the StatusNotifierItem spec carries it: ARGB32, network byte order. */
export interface IconPixmap {
  width: number;
  height: number;
  argb: Buffer;
}

/** 3×5 digits, one row a number (bit 2 is the left column). */
const DIGITS: Record<string, number[]> = {
  '0': [7, 5, 5, 5, 7],
  '1': [2, 6, 2, 2, 7],
  '2': [7, 1, 7, 4, 7],
  '3': [7, 1, 7, 1, 7],
  '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7],
  '6': [7, 4, 7, 5, 7],
  '7': [7, 1, 1, 1, 1],
  '8': [7, 5, 7, 5, 7],
  '9': [7, 5, 7, 1, 7],
  '+': [0, 2, 7, 2, 0],
};

type Color = [a: number, r: number, g: number, b: number];
const BRAND: Color = [255, 47, 198, 246];
const BADGE: Color = [255, 229, 57, 53];
const WHITE: Color = [255, 255, 255, 255];
const CLEAR: Color = [0, 0, 0, 0];

/**
 * The tray icon drawn in memory: a round speech mark, and with unread messages a red badge with
 * the count (99+ above 99), so it needs no icon theme and no image files. `quiet`: notifications
 * are silenced, shown as the messenger's do-not-disturb mark (a red disc with a white bar) in the
 * bottom corner.
 */
export function trayIconPixmap(unread: number, size = 32, quiet = false): IconPixmap {
  const argb = Buffer.alloc(size * size * 4);
  const set = (x: number, y: number, [a, r, g, b]: Color) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    argb.set([a, r, g, b], (y * size + x) * 4);
  };
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x - centre) ** 2 + (y - centre) ** 2 <= (size / 2 - 1) ** 2) set(x, y, BRAND);
    }
  }
  if (unread > 0) drawCountBadge(unread, size, set);
  if (quiet) {
    const radius = size * 0.22;
    // A clear ring keeps the mark apart from the speech mark and the count above it.
    const gap = Math.max(1, size / 32);
    const cx = size - radius - 0.5;
    const cy = size - radius - 0.5;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const distance = Math.sqrt((x - cx) ** 2 + (y - cy) ** 2);
        if (distance > radius + gap) continue;
        const bar = Math.abs(y - cy) <= Math.max(0.5, radius * 0.2) && Math.abs(x - cx) <= radius * 0.6;
        set(x, y, distance > radius ? CLEAR : bar ? WHITE : BADGE);
      }
    }
  }
  return { width: size, height: size, argb };
}

/** The red badge with the count (99+ above 99) in the top corner. */
function drawCountBadge(unread: number, size: number, set: (x: number, y: number, color: Color) => void): void {
  const text = unread > 99 ? '99+' : String(unread);
  const scale = Math.max(1, Math.floor(size / 16));
  const textWidth = (text.length * 4 - 1) * scale;
  const badgeWidth = textWidth + 4 * scale;
  const badgeHeight = 9 * scale;
  const left = size - badgeWidth;
  for (let y = 0; y < badgeHeight; y++) for (let x = left; x < size; x++) set(x, y, BADGE);
  [...text].forEach((char, index) => {
    const rows = DIGITS[char] ?? [];
    rows.forEach((bits, row) => {
      for (let column = 0; column < 3; column++) {
        if (!(bits & (4 >> column))) continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            set(left + 2 * scale + (index * 4 + column) * scale + dx, 2 * scale + row * scale + dy, WHITE);
          }
        }
      }
    });
  });
}
