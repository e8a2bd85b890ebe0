import { Outlet, createFileRoute } from "@tanstack/react-router";
import { PortalShell } from "../features/portal/PortalShell";

export const Route = createFileRoute("/portal")({
  component: () => (
    <PortalShell>
      <Outlet />
    </PortalShell>
  ),
});
