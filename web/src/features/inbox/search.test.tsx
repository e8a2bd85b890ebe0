import { describe, expect, it } from "vitest";
import { activeFilterCount, filtersOf, InboxSearch } from "./search";

describe("the inbox URL", () => {
  it("reads what the router parsed as JSON back into the API's filters", () => {
    // `?selected=12&overdue=true&q=123&tag=vip` as the router hands it over.
    const search = InboxSearch.parse({ selected: 12, overdue: true, q: 123, tag: "vip", view: "at-risk", teamId: "0b7c3f5e-4d1a-4e8b-9a3c-2f6d7e8a9b0c" });
    expect(search).toMatchObject({ selected: 12, overdue: "true", q: "123", tag: ["vip"], view: "at-risk" });
    expect(filtersOf(search)).toEqual({ view: "at-risk", overdue: "true", q: "123", tag: ["vip"], teamId: "0b7c3f5e-4d1a-4e8b-9a3c-2f6d7e8a9b0c" });
  });

  it("drops values that make no sense instead of failing the page, and defaults to my tickets", () => {
    const search = InboxSearch.parse({ view: "everything", status: "done", teamId: "not-a-uuid", sort: "oldest", selected: -3, createdFrom: "yesterday" });
    expect(search).toEqual({});
    expect(filtersOf(search)).toEqual({ view: "mine" });
  });

  it("counts the filters set, not the view, sort or selection", () => {
    expect(activeFilterCount(InboxSearch.parse({ view: "all", sort: "due", selected: 4 }))).toBe(0);
    expect(activeFilterCount(InboxSearch.parse({ priority: "urgent", tag: ["a", "b"], q: "refund" }))).toBe(3);
  });
});
