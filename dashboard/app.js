// @ts-check
/**
 * The dashboard shell: sign-in with an API key (sessionStorage only), a hash router over the
 * pages, and one alert region for errors. Each page is a function `(main, route) => cleanup?`.
 */
import { api, ApiError, clearKey, getKey, setKey } from "./api.js";
import { field, h, replace } from "./dom.js";
import { costsPage } from "./pages/costs.js";
import { deploymentPage, deploymentsPage } from "./pages/deployments.js";
import { deployPage } from "./pages/deploy.js";
import { modelPage, modelsPage } from "./pages/models.js";
import { quotePage } from "./pages/quote.js";
import { recommendationsPage } from "./pages/recommendations.js";

/**
 * @typedef {{ path: string[], go: (hash: string) => void, fail: (err: unknown) => void, signal: AbortSignal,
 *   rendered: () => void }} Route
 * @typedef {(main: HTMLElement, route: Route) => void | Promise<void>} Page
 */

/** @type {Record<string, Page>} */
const PAGES = {
  deployments: (main, route) => (route.path[1] ? deploymentPage(main, route) : deploymentsPage(main, route)),
  deploy: deployPage,
  quote: quotePage,
  costs: costsPage,
  recommendations: recommendationsPage,
  models: (main, route) => (route.path[1] ? modelPage(main, route) : modelsPage(main, route)),
};

const main = /** @type {HTMLElement} */ (document.getElementById("main"));
const flash = /** @type {HTMLElement} */ (document.getElementById("flash"));
const nav = /** @type {HTMLElement} */ (document.getElementById("nav"));
const signout = /** @type {HTMLButtonElement} */ (document.getElementById("signout"));

/** @type {AbortController | undefined} */
let current;

/** Mark the first meaningful render once (the browser test and `npm run bench` read it). */
function rendered() {
  if (performance.getEntriesByName("modelplane:render").length === 0) performance.mark("modelplane:render");
}

/**
 * Show an error in the alert region: the server's message with its field, a network error with
 * the URL; a 401 signs out with a message saying so.
 * @param {unknown} err
 */
function fail(err) {
  if (err instanceof DOMException && err.name === "AbortError") return;
  if (err instanceof ApiError && err.status === 401) {
    clearKey();
    render();
    showError(`Signed out: the API key was not accepted (${err.message}). Sign in with a valid key.`);
    return;
  }
  if (err instanceof ApiError) {
    showError(err.field ? `${err.field}: ${err.message}` : err.message, err.code);
    return;
  }
  showError(err instanceof Error ? err.message : String(err));
}

/**
 * @param {string} message
 * @param {string} [code]
 */
function showError(message, code) {
  replace(flash, h("p", { class: "error" }, h("strong", {}, "Error"), code ? ` (${code})` : "", ": ", message));
}

function signInPage() {
  const input = h("input", {
    id: "api-key",
    name: "api-key",
    type: "password",
    autocomplete: "off",
    required: true,
    spellcheck: "false",
  });
  const button = h("button", { type: "submit" }, "Sign in");
  const form = h(
    "form",
    { "aria-labelledby": "signin-title", class: "card narrow" },
    h("h1", { id: "signin-title" }, "Sign in"),
    h(
      "p",
      {},
      "Paste an API key. It is kept in this tab's session storage only, and sent in the Authorization header.",
    ),
    field("API key", input, "npm start prints a development admin key; `modelplane keys create` makes others."),
    button,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    button.disabled = true;
    replace(flash);
    try {
      await api("GET", "/v1/deployments?limit=1", { key });
      setKey(key);
      if (!location.hash || location.hash === "#/") location.hash = "#/deployments";
      render();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        showError(`That API key was not accepted: ${err.message}. Check it and try again.`, "unauthorized");
      } else fail(err);
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  replace(main, form);
  input.focus();
  rendered();
}

function render() {
  current?.abort();
  current = new AbortController();
  const signedIn = getKey() !== null;
  nav.hidden = !signedIn;
  signout.hidden = !signedIn;
  if (!signedIn) {
    signInPage();
    return;
  }
  replace(flash);
  const path = location.hash
    .replace(/^#\/?/, "")
    .split("/")
    .filter((s) => s !== "")
    .map((s) => decodeURIComponent(s));
  const name = path[0] ?? "deployments";
  for (const a of nav.querySelectorAll("a")) {
    if (a.getAttribute("href") === `#/${name}`) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const page = PAGES[name];
  replace(main);
  if (!page) {
    replace(main, h("h1", {}, "Not found"), h("p", {}, `There is no page "${name}".`));
    return;
  }
  /** @type {Route} */
  const route = {
    path: path.length ? path : ["deployments"],
    go: (hash) => {
      location.hash = hash;
    },
    fail,
    signal: current.signal,
    rendered,
  };
  Promise.resolve(page(main, route)).then(rendered, fail);
}

signout.addEventListener("click", () => {
  clearKey();
  replace(flash);
  render();
});
window.addEventListener("hashchange", () => {
  render();
  main.focus();
});
render();
