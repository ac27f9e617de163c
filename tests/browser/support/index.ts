// Support for browser end-to-end tests. Import this first: it sets up the environment playwright-core needs.

export { chromiumAvailable, chromiumPath, inCi } from './browser-env';
export { assertBuiltApp, webDist } from './built-app';
export { DESK_VIEWPORT, type Desk, goTo, openDeskAt } from './desk';
export {
  apiLogin,
  bookJobFor,
  type CreatedJob,
  DEMO_TIME_ZONE,
  invitedContractor,
  OfficeClient,
  type PushResult,
  todayInDemoZone,
} from './office-api';
export {
  launchChromium,
  openPhone,
  openSignedInPhone,
  PHONE_VIEWPORT,
  type Phone,
  pendingCount,
  signIn,
  signOnPad,
  waitForPendingCount,
  waitForServiceWorkerControl,
} from './phone';
export { saveScreenshot, screenshotDir } from './screenshots';
export { type BrowserTestServer, DEMO_PASSWORD, startBrowserTestServer } from './test-server';
