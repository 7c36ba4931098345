import { mountUiApp } from '../app/create-ui-app.ts';
import NetworkApp from './NetworkApp.vue';
import NetworkAuthorizePage from './pages/NetworkAuthorizePage.vue';
import NetworkProfilePage from './pages/NetworkProfilePage.vue';
import NetworkSignInPage from './pages/NetworkSignInPage.vue';

// The Network's own pages, served at the Network's host (network.localhost in the demo).
mountUiApp({
  root: NetworkApp,
  base: '/',
  routes: [
    { path: '/', component: NetworkProfilePage },
    { path: '/signin', component: NetworkSignInPage },
    { path: '/oauth/authorize', component: NetworkAuthorizePage },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
