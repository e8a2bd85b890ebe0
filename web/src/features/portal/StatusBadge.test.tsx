import { MantineProvider } from "@mantine/core";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { StatusBadge } from "./StatusBadge";
import { checkFiles } from "./upload-limits";

afterEach(cleanup);

describe("the status badge", () => {
  it("shows the plain words for the ticket's status", () => {
    const { rerender } = render(
      <MantineProvider>
        <StatusBadge status="pending" />
      </MantineProvider>,
    );
    expect(screen.getByText("Waiting for your reply")).toBeTruthy();
    rerender(
      <MantineProvider>
        <StatusBadge status="closed" />
      </MantineProvider>,
    );
    expect(screen.getByText("Solved")).toBeTruthy();
    expect(screen.queryByText("closed")).toBeNull();
  });
});

describe("files a reply may carry", () => {
  const file = (name: string, type: string, size = 1000) => ({ name, type, size });
  it("takes documents and images up to 4 MB, at most 5, and says why it refuses others", () => {
    expect(checkFiles([file("a.png", "image/png"), file("b.pdf", "application/pdf")])).toBeNull();
    expect(checkFiles([file("page.html", "text/html")])).toBe("page.html is not a type we accept (images, PDF, text and office documents).");
    expect(checkFiles([file("big.pdf", "application/pdf", 4 * 1024 * 1024 + 1)])).toBe("big.pdf is larger than 4 MB.");
    expect(checkFiles(Array.from({ length: 6 }, (_, i) => file(`${i}.txt`, "text/plain")))).toBe("Attach at most 5 files.");
  });
});
