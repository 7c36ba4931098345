import { mountUiApp } from '../../app/create-ui-app.ts';
import DesktopLoginWindow from './DesktopLoginWindow.vue';

// The desktop app's login window; it talks to the desktop's main process over the bridge.
mountUiApp({
  root: DesktopLoginWindow,
  base: '/desktop/',
  routes: [{ path: '/:pathMatch(.*)*', component: DesktopLoginWindow }],
});
