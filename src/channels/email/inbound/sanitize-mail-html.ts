import sanitizeHtml from "sanitize-html";

/** Image sources a mail may keep: its own inline parts (cid:) and https; no http, data: or relative URLs. */
const IMAGE_SOURCE = /^(cid|https):/i;
/** Link targets a mail may keep. */
const LINK_TARGET = /^(https?|mailto|tel):/i;

const cellAttributes = ["colspan", "rowspan", "align", "valign", "width"];

/**
 * What survives of a customer's HTML: text structure, tables, links and images. No scripts, styles (tags or
 * attributes), event handlers, frames, forms, embedded objects, `javascript:`/`data:` URLs or relative URLs
 * (an image pointing into our own API would fetch with the reader's session).
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, "img", "font", "center"],
  allowedAttributes: {
    a: ["href", "name", "title", "rel", "target"],
    img: ["src", "alt", "title", "width", "height"],
    font: ["color", "size"],
    table: ["border", "cellpadding", "cellspacing", "width", "align"],
    td: cellAttributes,
    th: cellAttributes,
    "*": ["dir", "lang"],
  },
  allowedSchemes: ["https", "http", "mailto", "tel"],
  allowedSchemesByTag: { img: ["cid", "https"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...keepUrl(attribs, "href", LINK_TARGET), rel: "noopener noreferrer nofollow", target: "_blank" } }),
    img: (tagName, attribs) => ({ tagName, attribs: keepUrl(attribs, "src", IMAGE_SOURCE) }),
  },
};

/** The attributes with `name` dropped unless its URL matches `allowed` (relative URLs never do). */
function keepUrl(attribs: sanitizeHtml.Attributes, name: string, allowed: RegExp): sanitizeHtml.Attributes {
  return Object.fromEntries(Object.entries(attribs).filter(([key, value]) => key !== name || allowed.test(value.trim())));
}

/**
 * Sanitises the HTML of an inbound mail. `inlineParts` maps Content-IDs (without angle brackets) to the
 * URL of the stored attachment, so `cid:` images point at their download once stored.
 */
export function sanitizeMailHtml(html: string, inlineParts: ReadonlyMap<string, string> = new Map()): string {
  const clean = sanitizeHtml(html, OPTIONS);
  if (inlineParts.size === 0) return clean;
  // Only exact `src="cid:…"` attributes written by the sanitiser above are rewritten, to our own URL.
  return clean.replace(/(<img\b[^>]*?\ssrc=")cid:([^"]+)(")/gi, (whole, before: string, cid: string, after: string) => {
    const url = inlineParts.get(decodeEntities(cid).toLowerCase());
    return url ? `${before}${url}${after}` : whole;
  });
}

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'");
}

/**
 * Plain text of an HTML body, for mail that has no text part that mailparser converts (HTML inside
 * multipart/related): block ends become line breaks, tags and script/style content go, entities are decoded.
 */
export function textOfHtml(html: string): string {
  const marked = html.replace(/<\s*br\s*\/?\s*>/gi, "\n").replace(/<\/\s*(p|div|li|tr|h[1-6]|blockquote|pre|table|ul|ol)\s*>/gi, "$&\n");
  const text = decodeEntities(sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {} }));
  return text
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
