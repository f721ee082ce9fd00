// @ts-check
/**
 * The one way the dashboard makes DOM: `h(tag, attrs, ...children)`. Strings become text nodes
 * (never parsed as HTML), so a name like `<img src=x onerror=…>` shows as those characters.
 * There is no innerHTML anywhere in the dashboard.
 */

/**
 * @typedef {string | number | Node | null | undefined | false} Child
 * @typedef {{ [name: string]: string | number | boolean | null | undefined | ((ev: Event) => void) }} Attrs
 */

/**
 * An element. `on<event>` attributes with a function become listeners; `true` sets a boolean
 * attribute, `false`/null/undefined leave it out; every other value is set as an attribute string.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

/**
 * @param {Node} el
 * @param {(Child | Child[])[]} children
 */
export function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  }
}

/**
 * Replace an element's content.
 * @param {Element} el
 * @param {...(Child | Child[])} children
 */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/**
 * A table with a caption, column headers (`scope=col`) and rows of cells.
 * @param {string} caption
 * @param {string[]} headers
 * @param {(Child | Child[])[][]} rows
 * @param {{ numeric?: number[] }} [opts] columns (by index) to right-align
 */
export function table(caption, headers, rows, opts = {}) {
  const numeric = new Set(opts.numeric ?? []);
  return h(
    "table",
    {},
    h("caption", {}, caption),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        headers.map((t, i) => h("th", { scope: "col", class: numeric.has(i) ? "num" : null }, t)),
      ),
    ),
    h(
      "tbody",
      {},
      rows.map((r) =>
        h(
          "tr",
          {},
          r.map((c, i) => h("td", { class: numeric.has(i) ? "num" : null }, c)),
        ),
      ),
    ),
  );
}

/** @param {number | null | undefined} usd */
export function money(usd) {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return "unpriced";
  return usd >= 100 ? `$${Math.round(usd).toLocaleString("en-US")}` : `$${usd.toFixed(2)}`;
}

/** @param {number | null | undefined} usd */
export function hourly(usd) {
  return usd === null || usd === undefined || !Number.isFinite(usd) ? "unpriced" : `$${usd.toFixed(4)}`;
}

/** @param {string | null | undefined} iso */
export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

/**
 * A labelled form control.
 * @param {string} label
 * @param {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} control must carry an id
 * @param {string} [hint]
 */
export function field(label, control, hint) {
  const hintId = hint ? `${control.id}-hint` : undefined;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  return h(
    "div",
    { class: "field" },
    h("label", { for: control.id }, label),
    control,
    hint ? h("small", { id: hintId ?? null }, hint) : null,
  );
}

/**
 * A select with the given options (value = text unless given as [value, text]).
 * @param {string} id
 * @param {(string | [string, string])[]} options
 * @param {string} [selected]
 */
export function select(id, options, selected) {
  return h(
    "select",
    { id, name: id },
    options.map((o) => {
      const [value, text] = Array.isArray(o) ? o : [o, o];
      return h("option", { value, selected: value === selected }, text);
    }),
  );
}
