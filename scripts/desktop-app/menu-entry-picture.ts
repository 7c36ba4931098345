/**
 * A picture of the installed menu entry as an applications menu shows it: reads
 * `<root>/usr/share/applications/portaldesk.desktop`, finds its `Icon=` name in the hicolor theme
 * under `<root>/usr/share/icons` as the icon theme spec looks it up (largest PNG, then scalable),
 * and renders the entry as a menu's search result and app tile with headless Chromium.
 *
 *   npx tsx scripts/desktop-app/menu-entry-picture.ts <root> <out.png>
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [root, output] = process.argv.slice(2);
if (!root || !output) throw new Error('usage: menu-entry-picture.ts <root> <out.png>');
const entry = readFileSync(join(root, 'usr/share/applications/portaldesk.desktop'), 'utf8');
const field = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(entry)?.[1] ?? '';
const iconName = field('Icon');
const candidates = ['512x512/apps', '256x256/apps', '192x192/apps', '128x128/apps', '48x48/apps'].map((dir) =>
  join(root, 'usr/share/icons/hicolor', dir, `${iconName}.png`),
);
candidates.push(join(root, 'usr/share/icons/hicolor/scalable/apps', `${iconName}.svg`));
const iconPath = candidates.find((path) => existsSync(path));
if (!iconPath) throw new Error(`the icon "${iconName}" is not in the hicolor theme`);
const icon = `data:${iconPath.endsWith('.svg') ? 'image/svg+xml' : 'image/png'};base64,${readFileSync(iconPath).toString('base64')}`;
const htmlText = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const html = `<!doctype html><html><body style="margin:0;font:14px 'DejaVu Sans',sans-serif;background:#2b2b2b;color:#eee">
<div style="padding:24px;width:560px">
  <div style="background:#3a3a3a;border-radius:12px;padding:10px 14px;margin-bottom:18px;color:#aaa">🔍 porta</div>
  <div style="display:flex;align-items:center;gap:14px;background:#4a4a4a;border-radius:10px;padding:10px 14px">
    <img src="${icon}" width="48" height="48">
    <div><div style="font-weight:bold">${htmlText(field('Name'))}</div>
    <div style="color:#bbb">${htmlText(field('GenericName'))} — ${htmlText(field('Comment'))}</div>
    <div style="color:#888;font-size:12px">${htmlText(field('Categories'))} · opens ${htmlText(field('MimeType').replace(/;$/, '').replace('x-scheme-handler/', ''))}:// links</div></div>
  </div>
  <div style="display:flex;gap:24px;margin-top:24px">
    <div style="text-align:center;width:96px"><img src="${icon}" width="72" height="72"><div style="margin-top:6px">${htmlText(field('Name'))}</div></div>
  </div>
  <div style="color:#777;font-size:11px;margin-top:18px">${htmlText(iconPath.slice(root.length))}</div>
</div></body></html>`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: 608, height: 330 } });
  await page.setContent(html);
  await page.screenshot({ path: output });
} finally {
  await browser.close();
}
