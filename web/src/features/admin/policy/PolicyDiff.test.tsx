import { MantineProvider } from "@mantine/core";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { PolicyChange } from "../../../api/policy";
import { changedLeaves } from "./diff";
import { PolicyDiff } from "./PolicyDiff";

afterEach(cleanup);

const targetsChange: PolicyChange = {
  section: "slaPolicies",
  name: "Standard",
  op: "change",
  fields: [
    { field: "targets", from: { first_response: { normal: "PT4H", high: "PT2H" }, resolution: { normal: "P5D" } }, to: { first_response: { high: "PT2H", normal: "PT3H" }, resolution: { normal: "P5D" }, next_response: { normal: "PT8H" } } },
    { field: "steps", from: [{ type: "warning", atPercent: 75 }], to: [{ type: "warning", atPercent: 80 }] },
    { field: "pauseStatuses", from: ["pending"], to: ["pending", "on_hold"] },
  ],
};

describe("a policy diff", () => {
  it("lists each changed leaf with its path, before and after; unchanged leaves and key order do not count", () => {
    expect(changedLeaves(targetsChange)).toEqual([
      { field: "targets.first_response.normal", from: "PT4H", to: "PT3H" },
      { field: "targets.next_response", from: "(none)", to: '{"normal":"PT8H"}' },
      { field: "steps[0].atPercent", from: "75", to: "80" },
      { field: "pauseStatuses", from: '["pending"]', to: '["pending","on_hold"]' },
    ]);
  });

  it("shows the changes by section with what was added, changed and removed", () => {
    render(
      <MantineProvider>
        <PolicyDiff
          title="Changes a dry run found"
          changes={[targetsChange, { section: "rules", name: "Old rule", op: "remove" }, { section: "teams", name: "Returns", op: "add" }]}
        />
      </MantineProvider>,
    );
    const region = screen.getByRole("region", { name: "Changes a dry run found" });
    expect(within(region).getByText("1 to add, 1 to change, 1 to remove")).toBeTruthy();
    expect(within(region).getAllByRole("heading", { level: 3 }).map((h) => h.textContent)).toEqual(["Teams", "SLA policies", "Escalation rules"]);
    expect(region.textContent).toContain("targets.first_response.normal: PT4H → PT3H");
    expect(region.textContent).toContain("RemovedOld rule");
    expect(region.textContent).toContain("AddedReturns");
  });

  it("says so when nothing changes", () => {
    render(
      <MantineProvider>
        <PolicyDiff title="Changes" changes={[]} />
      </MantineProvider>,
    );
    expect(screen.getByText("No changes: the server already has this policy.")).toBeTruthy();
  });
});
