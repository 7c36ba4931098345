import { mountUiApp } from '../app/create-ui-app.ts';
import ChatsTab from './ChatsTab.vue';
import MobileApp from './MobileApp.vue';
import NotificationsTab from './NotificationsTab.vue';
import ProfileSettingsPage from './ProfileSettingsPage.vue';
import QrApprovalPage from './qr-sign-in/QrApprovalPage.vue';
import ScanQrTab from './ScanQrTab.vue';
import SessionsSettingsPage from './SessionsSettingsPage.vue';

mountUiApp({
  root: MobileApp,
  base: '/m/',
  routes: [
    { path: '/', name: 'chats', component: ChatsTab },
    { path: '/notifications', name: 'notifications', component: NotificationsTab },
    { path: '/scan', name: 'scan', component: ScanQrTab },
    { path: '/qr-sign-in', name: 'qr-sign-in', component: QrApprovalPage },
    { path: '/settings/sessions', name: 'settings-sessions', component: SessionsSettingsPage },
    { path: '/settings/profile', name: 'settings-profile', component: ProfileSettingsPage },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
