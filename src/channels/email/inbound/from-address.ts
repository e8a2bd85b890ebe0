/**
 * The sender of a mail, read from the raw From header with RFC 5322 in mind. mailparser (and nodemailer's
 * address parser) glue a display name from every word of the header (`"Support Team" <>, Ana <ana@x>`
 * gives "Support Team, Ana") and make an address out of the last word of an invalid one
 * (`john smith@example.com` becomes smith@example.com, named "john"): a customer would be created for an
 * address nobody wrote.
 */

/** One mailbox of an address list: the address as written (without angle brackets) and its display name (undecoded). */
export type Mailbox = {
  address: string;
  /** The phrase before the angle address (quotes removed), or the comment of a bare address; one character per byte. */
  name: string;
};

/**
 * The mailboxes of an address header given one character per byte, groups flattened, in order. A
 * mailbox with several angle addresses (`"Ana" <> <ana@x>`) counts with its first non-empty one.
 */
export function parseMailboxes(binary: string): Mailbox[] {
  const out: Mailbox[] = [];
  let phrase = "";
  let comment = "";
  let bare = "";
  const angles: string[] = [];
  const finish = () => {
    const address = angles.find((a) => a.trim() !== "")?.trim() ?? (angles.length > 0 ? "" : bare.trim());
    const name = (angles.length > 0 ? phrase : "").replace(/\s+/g, " ").trim() || comment.replace(/\s+/g, " ").trim();
    if (address || angles.length > 0) out.push({ address: stripRoute(address), name });
    phrase = comment = bare = "";
    angles.length = 0;
  };
  for (let i = 0; i < binary.length; i++) {
    const c = binary[i]!;
    if (c === '"') {
      // A quoted string: in a phrase it is part of the name; in a bare address it is a quoted local part.
      let j = i + 1;
      let content = "";
      while (j < binary.length && binary[j] !== '"') {
        if (binary[j] === "\\" && j + 1 < binary.length) j += 1;
        content += binary[j];
        j += 1;
      }
      if (angles.length === 0) {
        phrase += content;
        bare += binary.slice(i, j + 1);
      }
      i = j;
    } else if (c === "(") {
      let depth = 1;
      let j = i + 1;
      let content = "";
      while (j < binary.length && depth > 0) {
        if (binary[j] === "\\" && j + 1 < binary.length) content += binary[++j];
        else if (binary[j] === "(") {
          depth += 1;
          content += "(";
        } else if (binary[j] === ")") {
          depth -= 1;
          if (depth > 0) content += ")";
        } else content += binary[j];
        j += 1;
      }
      comment += (comment ? " " : "") + content;
      // A comment separates words, as white space does.
      phrase += " ";
      bare += " ";
      i = j - 1;
    } else if (c === "<") {
      const close = binary.indexOf(">", i + 1);
      const end = close === -1 ? binary.length : close;
      angles.push(binary.slice(i + 1, end));
      i = end;
    } else if (c === ",") finish();
    else if (c === ":" && angles.length === 0 && !bare.includes("@")) {
      // The display name of a group (`Team: a@x, b@y;`) names no one.
      phrase = comment = bare = "";
    } else if (c === ";") finish();
    else if (angles.length === 0) {
      phrase += c;
      bare += c;
    }
  }
  finish();
  return out;
}

/** An obsolete source route (`<@relay:ana@x>`) is dropped, as RFC 5322 says. */
const stripRoute = (address: string) => address.replace(/^(@[^:,]+,?)+:/, "");
