import { mountUiApp } from '../../app/create-ui-app.ts';
import DesktopAccountsWindow from './DesktopAccountsWindow.vue';

// The desktop app's account list: switch, add, reorder, mute, sign out, remove; over the bridge.
mountUiApp({
  root: DesktopAccountsWindow,
  base: '/desktop/',
  routes: [{ path: '/:pathMatch(.*)*', component: DesktopAccountsWindow }],
});
