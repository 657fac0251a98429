// On a case page: keep the page in step with the case while it is open.
import { startLiveUpdates } from './live-update';

const root = document.getElementById('case-live');
if (root) startLiveUpdates(root);
