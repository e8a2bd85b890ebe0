import { Alert, Anchor, Group, ScrollArea, Stack, Title } from "@mantine/core";
import { Link, Outlet, useRouterState } from "@tanstack/react-router";
import { t } from "../../i18n";
import { ADMIN_PAGES } from "./admin-pages";

/** The admin area: a sub-navigation over every admin page, then the page. */
export function AdminLayout() {
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  return (
    <Stack gap="md">
      <ScrollArea type="auto" offsetScrollbars>
        <Group component="nav" aria-label={t("admin.nav")} gap="xs" wrap="nowrap">
          <Anchor component={Link} to="/admin" size="sm" fw={pathname === "/admin" || pathname === "/admin/" ? 700 : 400} aria-current={pathname === "/admin" ? "page" : undefined}>
            {t("admin.home.short")}
          </Anchor>
          {ADMIN_PAGES.map((p) => (
            <Anchor
              key={p.path}
              // The policy slice's pages are not in this branch's route tree; the path is the contract.
              component={Link}
              to={p.path as "/admin"}
              size="sm"
              style={{ whiteSpace: "nowrap" }}
              fw={pathname.startsWith(p.path) ? 700 : 400}
              aria-current={pathname.startsWith(p.path) ? "page" : undefined}
            >
              {t(p.title)}
            </Anchor>
          ))}
        </Group>
      </ScrollArea>
      <Outlet />
    </Stack>
  );
}

/** What a non-admin sees at any /admin address: a clear refusal, not an empty page. */
export function AdminRefusal() {
  return (
    <Stack maw={640} p="md">
      <Title order={1} size="h3">
        {t("admin.refused.title")}
      </Title>
      <Alert color="red" role="alert" title={t("admin.refused.title")}>
        {t("admin.refused.body")}
      </Alert>
      <Anchor component={Link} to="/inbox">
        {t("admin.refused.back")}
      </Anchor>
    </Stack>
  );
}
