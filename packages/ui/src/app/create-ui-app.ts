import '../styles/main.css';
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin';
import { type Component, createApp } from 'vue';
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';

export interface UiAppOptions {
  root: Component;
  /** The path the entry is served under: `/` for the portal, `/m/` for the mobile app. */
  base: string;
  routes: RouteRecordRaw[];
}

/** Every entry point starts the same way: router, the Bitrix24 UI kit, mount on `#app`. */
export function mountUiApp({ root, base, routes }: UiAppOptions): void {
  const app = createApp(root);
  app.use(createRouter({ history: createWebHistory(base), routes }));
  app.use(b24UiPlugin);
  app.mount('#app');
}
