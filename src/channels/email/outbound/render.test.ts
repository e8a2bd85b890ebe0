import { describe, expect, it } from "vitest";
import { checkTemplate, renderTemplate } from "./render.js";
import { EMAIL_TEMPLATES, SAMPLE_VALUES } from "./templates.js";

describe("the mail template renderer", () => {
  const values = { "ticket.number": "7", "customer.name": `Bob "<script>" & Co 🚀`, "message.body": "line one\nline <two>" };

  it("escapes values in the HTML part, keeps them as they are in the text and on one line in the subject", () => {
    const out = renderTemplate(
      { subject: "[#{{ticket.number}}] {{ message.body }}", text: "Hi {{customer.name}}:\n{{message.body}}", html: `<p title="{{customer.name}}">{{message.body}}</p>` },
      values,
    );
    expect(out.subject).toBe("[#7] line one line <two>");
    expect(out.text).toBe(`Hi Bob "<script>" & Co 🚀:\nline one\nline <two>`);
    expect(out.html).toBe(`<p title="Bob &quot;&lt;script&gt;&quot; &amp; Co 🚀">line one<br>\nline &lt;two&gt;</p>`);
  });

  it("does not render placeholders inside values (no second pass)", () => {
    const out = renderTemplate({ subject: "{{customer.name}}", text: "{{customer.name}}", html: "{{customer.name}}" }, { "customer.name": "{{ticket.number}}", "ticket.number": "9" });
    expect(out).toEqual({ subject: "{{ticket.number}}", text: "{{ticket.number}}", html: "{{ticket.number}}" });
  });

  it("reports unknown placeholders and malformed ones, per part", () => {
    const issues = checkTemplate(
      { subject: "{{ticket.number}} {{ticket.secret}}", text: "{{ Ticket-Number }} and {{escalation.note}}", html: "<p>{{ticket.subject</p>" },
      ["ticket.number", "ticket.subject"],
    );
    expect(issues).toEqual([
      { kind: "unknown", part: "subject", placeholder: "ticket.secret" },
      { kind: "syntax", part: "text", near: "{{Ticket-Number}}" },
      { kind: "unknown", part: "text", placeholder: "escalation.note" },
      { kind: "syntax", part: "html", near: "{{ticket.subject</p>" },
    ]);
  });

  it("has built-in templates that use only their own placeholders, and samples for all of them", () => {
    for (const spec of EMAIL_TEMPLATES.values()) {
      expect(checkTemplate(spec.builtIn, spec.placeholders), spec.key).toEqual([]);
      for (const p of spec.placeholders) expect(SAMPLE_VALUES[p], `${spec.key}: ${p}`).toEqual(expect.any(String));
      if (spec.audience === "customer") expect(spec.placeholders.filter((p) => /note|priority|email|escalation\./.test(p)), spec.key).toEqual([]);
    }
  });
});
