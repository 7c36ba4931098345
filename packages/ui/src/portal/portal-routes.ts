import type { RouteRecordRaw } from 'vue-router';
import AdminAppsPage from '../admin/AdminAppsPage.vue';
import AdminUsersPage from '../admin/AdminUsersPage.vue';
import AdminWebhooksPage from '../admin/AdminWebhooksPage.vue';
import AdminPage from './admin/AdminPage.vue';
import PortalMessengerPage from './messenger/PortalMessengerPage.vue';
import NotificationsPage from './notifications/NotificationsPage.vue';
import ProfilePage from './profile/ProfilePage.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Shown and reachable only for the portal's administrators (`profile` → `ADMIN`). */
    adminOnly?: boolean;
  }
}

/**
 * The pages of the portal web interface. `admin` is the administration section: its pages are
 * children of this route (`/admin/...`), kept out of the navigation for everyone else.
 */
export const PORTAL_ROUTES: RouteRecordRaw[] = [
  { path: '/', name: 'messenger', component: PortalMessengerPage },
  { path: '/notifications', name: 'notifications', component: NotificationsPage },
  { path: '/profile', name: 'profile', component: ProfilePage },
  {
    path: '/admin',
    name: 'admin',
    component: AdminPage,
    meta: { adminOnly: true },
    redirect: { name: 'admin-users' },
    children: [
      { path: 'users', name: 'admin-users', component: AdminUsersPage, meta: { adminOnly: true } },
      { path: 'webhooks', name: 'admin-webhooks', component: AdminWebhooksPage, meta: { adminOnly: true } },
      { path: 'apps', name: 'admin-apps', component: AdminAppsPage, meta: { adminOnly: true } },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];
