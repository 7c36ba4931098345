import QRCode from 'qrcode';

/** Light modules around the code, as the QR specification asks, so that scanners find its edge. */
export const QUIET_ZONE = 4;

/**
 * A QR code as one SVG path (a unit square per dark module), drawn by a template: no inline
 * script or style and no `v-html`, so it renders under the page's strict CSP.
 */
export function qrCodePath(text: string): { size: number; path: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const squares: string[] = [];
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) {
      if (modules.get(y, x)) squares.push(`M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`);
    }
  }
  return { size: modules.size + 2 * QUIET_ZONE, path: squares.join('') };
}
