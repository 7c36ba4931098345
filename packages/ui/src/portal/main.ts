import { mountUiApp } from '../app/create-ui-app.ts';
import PortalApp from './PortalApp.vue';
import { PORTAL_ROUTES } from './portal-routes.ts';

mountUiApp({ root: PortalApp, base: '/', routes: PORTAL_ROUTES });
