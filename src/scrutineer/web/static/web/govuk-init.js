// GOV.UK Frontend's components, once the page has loaded: the error summary takes focus
// so a screen reader reads the problems first, and success banners are announced.
// Every page works without this; it only adds what GOV.UK Frontend adds. Only browsers
// that run module scripts get here, which is what "govuk-frontend-supported" declares.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
