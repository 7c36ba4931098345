import { mountUiApp } from '../app/create-ui-app.ts';
import OAuthConsentApp from './OAuthConsentApp.vue';
import OAuthConsentPage from './OAuthConsentPage.vue';

// The portal's `/oauth/authorize/`: an application asks the signed-in user for access.
mountUiApp({ root: OAuthConsentApp, base: '/', routes: [{ path: '/:pathMatch(.*)*', component: OAuthConsentPage }] });
