import { createFileRoute } from "@tanstack/react-router";
import { PortalSignIn } from "../../features/portal/PortalSignIn";

export const Route = createFileRoute("/portal/sign-in")({
  component: PortalSignIn,
});
