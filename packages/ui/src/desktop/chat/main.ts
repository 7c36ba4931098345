import { mountUiApp } from '../../app/create-ui-app.ts';
import DesktopChatWindow from './DesktopChatWindow.vue';

// The desktop app's chat window: the shared messenger screens, fed by the main process over the bridge.
mountUiApp({
  root: DesktopChatWindow,
  base: '/desktop/',
  routes: [{ path: '/:pathMatch(.*)*', component: DesktopChatWindow }],
});
