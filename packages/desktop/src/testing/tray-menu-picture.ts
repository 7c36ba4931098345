import type { Page } from 'playwright-core';
import type { TrayMenuEntry } from './recording-tray-host.ts';

export interface TrayPicture {
  /** The item's `Title` (panels show it as the tooltip). */
  title: string;
  /** The item's `IconPixmap`: width, height and ARGB bytes in network order, per size. */
  icon: [number, number, Buffer][];
  /** The dbusmenu layout as the tray host read it. */
  menu: TrayMenuEntry[];
}

/**
 * Draws what a panel shows from a tray item's D-Bus properties: the icon in a panel bar and the
 * menu opened below it. Tests run with no panel, so this is how a screenshot of the tray menu is
 * taken from what the app really published (not from the app's own model).
 */
export async function drawTrayMenu(page: Page, picture: TrayPicture): Promise<void> {
  const [width, height, argb] = picture.icon.reduce((best, icon) => (icon[0] > best[0] ? icon : best));
  const rgba: number[] = [];
  for (let i = 0; i < argb.length; i += 4) rgba.push(argb[i + 1]!, argb[i + 2]!, argb[i + 3]!, argb[i]!);
  await page.setViewportSize({ width: 420, height: 120 + picture.menu.length * 30 });
  await page.setContent(`<!doctype html><style>
    body { margin: 0; font: 14px system-ui, sans-serif; background: #d9dde3; }
    .panel { height: 36px; background: #2b2f36; display: flex; justify-content: flex-end; align-items: center; padding: 0 12px; }
    canvas { width: 24px; height: 24px; }
    .menu { position: absolute; right: 8px; top: 40px; min-width: 300px; background: #fff; border-radius: 6px;
      box-shadow: 0 4px 16px rgb(0 0 0 / 25%); padding: 4px 0; list-style: none; margin: 0; }
    .menu li { padding: 6px 14px; display: flex; gap: 8px; }
    .menu li.separator { padding: 0; margin: 4px 0; border-top: 1px solid #ddd; }
    .check { width: 14px; }
    .tooltip { position: absolute; right: 48px; top: 8px; color: #eee; font-size: 12px; }
  </style><div class="panel"><span class="tooltip"></span><canvas></canvas></div><ul class="menu"></ul>`);
  await page.evaluate(
    ({ title, width, height, rgba, menu }) => {
      (document.querySelector('.tooltip') as HTMLElement).textContent = title;
      const canvas = document.querySelector('canvas') as HTMLCanvasElement;
      canvas.width = width;
      canvas.height = height;
      canvas.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
      const list = document.querySelector('.menu') as HTMLElement;
      for (const entry of menu) {
        const item = document.createElement('li');
        if (entry.type === 'separator') item.className = 'separator';
        else {
          const check = document.createElement('span');
          check.className = 'check';
          check.textContent = entry.toggleState === 1 ? '✓' : '';
          const label = document.createElement('span');
          label.textContent = entry.label;
          item.append(check, label);
        }
        list.append(item);
      }
    },
    { title: picture.title, width, height, rgba, menu: picture.menu },
  );
}
