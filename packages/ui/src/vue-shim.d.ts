// Single-file components are compiled by Vite; to the type-checker they are plain components.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';

  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare module '@bitrix24/b24ui-nuxt/vue-plugin' {
  import type { Plugin } from 'vue';

  const plugin: Plugin;
  export default plugin;
}

// Style sheets are bundled by Vite.
declare module '*.css' {}
