/**
 * Scripts run in the page from its first byte (`context.addInitScript`), noting with a MutationObserver the
 * moment something a benchmark waits for appears: times from the page's own clock, so the driver's
 * polling adds nothing to them. They find elements as the screens' contracts name them.
 */

/** In-page: the accessible name of an element from aria-label, aria-labelledby or a caption (what these screens use). */
export const ACCESSIBLE_NAME = `
  const nameOf = (el) => {
    const label = el.getAttribute("aria-label");
    if (label) return label.trim();
    const by = el.getAttribute("aria-labelledby");
    if (by) return by.split(/\\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim();
    const caption = el.querySelector(":scope > caption");
    return caption ? caption.textContent.trim() : "";
  };`;

/** Notes in `window.__benchFirstRow` (ms since navigation start) when the table "Tickets" first has a row with a link `#<number> …`. */
export function firstRowProbe(): string {
  return `(() => {${ACCESSIBLE_NAME}
      const check = () => {
        if (window.__benchFirstRow) return;
        for (const table of document.querySelectorAll("table")) {
          if (nameOf(table) !== "Tickets") continue;
          for (const link of table.querySelectorAll("tr a[href^='/tickets/']")) {
            if (/^#\\d+ /.test(link.textContent.trim())) { window.__benchFirstRow = performance.now(); return; }
          }
        }
      };
      new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
    })();`;
}

/**
 * Notes in `window.__benchReady` (ms since navigation start) when the ticket page shows the heading
 * `#<number> …`, a visible composer (a text box) and the text `marker` (its last event).
 */
export function ticketReadyProbe(number: number, marker: string): string {
  return `(() => {
      const number = ${JSON.stringify(number)}, marker = ${JSON.stringify(marker)};
      const visible = (el) => !!el && el.getClientRects().length > 0;
      const check = () => {
        if (window.__benchReady) return;
        const h1 = document.querySelector("h1");
        if (!h1 || !h1.textContent.trim().startsWith("#" + number + " ")) return;
        if (![...document.querySelectorAll("textarea, [contenteditable='true'], [role='textbox']")].some(visible)) return;
        // A text node holding the marker, outside scripts.
        const hit = document.evaluate("//text()[contains(., " + JSON.stringify(marker) + ")][not(parent::script)]", document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null);
        if (!hit.singleNodeValue) return;
        window.__benchReady = performance.now();
      };
      new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
    })();`;
}

/**
 * Notes in `window.__benchSeen[number]` the wall-clock time (performance.timeOrigin + now, in ms) at which
 * a link `#<number> …` first appears inside the region named `regionName`.
 */
export function breachProbe(regionName: string): string {
  return `(() => {${ACCESSIBLE_NAME}
      window.__benchSeen = {};
      const scan = () => {
        for (const region of document.querySelectorAll("section, [role='region']")) {
          if (nameOf(region) !== ${JSON.stringify(regionName)}) continue;
          for (const link of region.querySelectorAll("a")) {
            const m = /^#(\\d+)\\b/.exec(link.textContent.trim());
            if (m && !(m[1] in window.__benchSeen)) window.__benchSeen[m[1]] = performance.timeOrigin + performance.now();
          }
        }
      };
      new MutationObserver(scan).observe(document, { childList: true, subtree: true, characterData: true });
    })();`;
}
