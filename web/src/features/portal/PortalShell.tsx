import { Alert, Anchor, AppShell, Button, Container, Group, Text } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useRouterState } from "@tanstack/react-router";
import { useEffect, type ReactNode } from "react";
import { homeOf, logOut, sessionQuery } from "../../api/session";
import { t } from "../../i18n";
import { startLiveStream, stopLiveStream } from "../../live/stream";

/**
 * The customer portal's frame: plainer than the staff app, no staff navigation. A signed-in customer's
 * tab keeps the one live stream (customer-safe events), so status and replies appear without reload.
 * Staff who open the portal are told what it is instead of seeing a customer's screens.
 */
export function PortalShell({ children }: { children: ReactNode }) {
  const { data: user } = useQuery(sessionQuery());
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // Signing in clears the query cache and sets the session anew; re-rendering on navigation lets this
  // frame's session observer pick up the new entry (it stays on the cleared one otherwise).
  useRouterState({ select: (s) => s.location.pathname });
  const isCustomer = user?.kind === "customer";

  useEffect(() => {
    if (!isCustomer) return;
    startLiveStream(queryClient);
    return () => stopLiveStream();
  }, [isCustomer, queryClient]);

  return (
    <AppShell header={{ height: 56 }} padding="md">
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Text fw={700} size="lg" component={Link} to="/portal" c="inherit" td="none">
            {t("app.name")}
          </Text>
          {isCustomer && (
            <Group gap="xs" wrap="nowrap" component="nav" aria-label={t("portal.nav.label")}>
              <Anchor component={Link} to="/portal" size="sm" visibleFrom="xs">
                {t("portal.nav.tickets")}
              </Anchor>
              <Button component={Link} to="/portal/new" size="xs">
                {t("portal.nav.new")}
              </Button>
              <Button
                size="xs"
                variant="subtle"
                onClick={async () => {
                  stopLiveStream();
                  await logOut(queryClient);
                  void navigate({ to: "/portal/sign-in" });
                }}
              >
                {t("portal.nav.signOut")}
              </Button>
            </Group>
          )}
        </Group>
      </AppShell.Header>
      <AppShell.Main id="main">
        <Container size="md" px={0}>
          {user && user.kind !== "customer" ? (
            <Alert color="blue" title={t("portal.staffNotice.title")} role="status">
              <Text size="sm">{t("portal.staffNotice.body")}</Text>
              <Anchor component={Link} to={homeOf(user)} size="sm">
                {t("portal.staffNotice.link")}
              </Anchor>
            </Alert>
          ) : (
            children
          )}
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
