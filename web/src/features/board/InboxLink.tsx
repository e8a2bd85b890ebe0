import { Anchor, type AnchorProps } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";

/** The inbox's search parameters the board links with (the names of the inbox contract). */
export type InboxParams = {
  view?: "mine" | "team" | "escalated" | "at-risk" | "waiting" | "all";
  teamId?: string;
  levelId?: string;
  assigneeId?: string;
  /** A boolean, so the router writes `overdue=true`. */
  overdue?: true;
};

/**
 * A link into the inbox with the contract's search parameters. The inbox slice owns the route's search
 * schema, so the parameters are handed over untyped here; their names are the shared contract.
 */
export function InboxLink({ params, children, ...props }: { params: InboxParams; children: ReactNode; "aria-label"?: string } & AnchorProps) {
  return (
    <Anchor component={Link} to="/inbox" search={params as never} {...props}>
      {children}
    </Anchor>
  );
}

/** The same address as a string (for tests and for places that need a plain href). */
export function inboxHref(params: InboxParams): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, String(v));
  return `/inbox?${search.toString()}`;
}
