import { fileURLToPath } from 'node:url';
import bitrix24UIPluginVite from '@bitrix24/b24ui-nuxt/vite';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The kit's "colors" plugin writes an inline `<style>` with theme variables for colours set in its
 * options. We set none (its rules are empty), and a strict CSP (`style-src 'self'`) refuses inline
 * styles, so it is replaced by a no-op. Theme colours, if ever needed, go in `styles/main.css`.
 */
function withoutInlineColorStyle(): Plugin {
  return {
    name: 'portaldesk:b24ui-without-inline-color-style',
    enforce: 'pre',
    load(id) {
      if (id.replaceAll('\\', '/').endsWith('/b24ui-nuxt/dist/runtime/plugins/colors.js')) {
        return 'export default { install() {} };';
      }
    },
  };
}

/** What only the message editor uses: its own chunk, loaded with the message box. */
const EDITOR_MODULES =
  /node_modules[\\/](@tiptap|prosemirror-[a-z-]+|orderedmap|rope-sequence|w3c-keyname|marked|linkifyjs|@bitrix24[\\/]b24ui-nuxt[\\/]dist[\\/]runtime[\\/](components[\\/]Editor|utils[\\/]editor\.|composables[\\/]useEditorMenu))/;

/** Where `npm run dev` sends API calls: a running Portaldesk server (`npm run server`). */
const apiTarget = process.env.PORTALDESK_API ?? 'http://127.0.0.1:3000';
const apiPaths = ['/rest', '/desktop_app', '/oauth', '/pull', '/bitrix', '/network'];

export default defineConfig({
  plugins: [
    withoutInlineColorStyle(),
    vue(),
    // colorMode off: the kit's color-mode plugin writes a <style> element to suppress transitions,
    // which a strict CSP refuses. dts off: the generated declaration files are not part of the source.
    bitrix24UIPluginVite({ colorMode: false, dts: false }),
  ],
  // The kit imports vue-router as an optional peer; resolve it (and Vue) from this package so that
  // there is exactly one copy of each.
  resolve: { dedupe: ['vue', 'vue-router'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One entry per page; each page loads its own entry chunk and only the shared chunks it uses.
    // The libraries get chunks of their own so that they are cached across pages and releases:
    // the kit (with its animation and headless-component libraries) is most of the weight.
    rolldownOptions: {
      input: {
        portal: here('./index.html'),
        mobile: here('./m/index.html'),
        // The desktop app's own windows, served to it by the desktop (packages/desktop).
        desktopLogin: here('./desktop/login.html'),
        desktopAccounts: here('./desktop/accounts.html'),
        desktopChat: here('./desktop/chat.html'),
        // The Network's pages, served at the Network's host.
        network: here('./network/index.html'),
        // The portal's OAuth consent page, sent by `/oauth/authorize/` itself.
        oauthConsent: here('./oauth/authorize.html'),
      },
      output: {
        codeSplitting: {
          groups: [
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router)[\\/]/, priority: 3 },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/, priority: 3 },
            // The QR decoder is loaded only when the phone's camera opens; the encoder only by the desktop's QR view.
            { name: 'qr-decoder', test: /node_modules[\\/]@zxing[\\/]/, priority: 3 },
            { name: 'qr-encoder', test: /node_modules[\\/](qrcode|dijkstrajs)[\\/]/, priority: 3 },
            // The message editor (TipTap, ProseMirror and the kit's editor components) stays out of
            // the kit's chunk: only the message box loads it (see MessageComposer), so the pages
            // without one (sign-in, accounts, consent) do not.
            { name: 'b24ui', test: (id) => /node_modules[\\/]/.test(id) && !EDITOR_MODULES.test(id), priority: 1 },
          ],
        },
      },
    },
    chunkSizeWarningLimit: 1024,
  },
  server: {
    host: '127.0.0.1',
    proxy: Object.fromEntries(
      apiPaths.map((path) => [
        path,
        {
          target: apiTarget,
          // The server picks the portal by the Host header; keep the one the browser sent.
          changeOrigin: false,
          ws: true,
        },
      ]),
    ),
  },
});
