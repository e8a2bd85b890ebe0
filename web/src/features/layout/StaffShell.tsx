import { ActionIcon, AppShell, Burger, Group, Menu, NavLink, Text, Tooltip, UnstyledButton, useMantineColorScheme, VisuallyHidden } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Link, Outlet, useNavigate, useRouterState } from "@tanstack/react-router";
import { useEffect, type ReactNode } from "react";
import { isAdmin, isLead, logOut, sessionQuery } from "../../api/session";
import { t, type MessageKey } from "../../i18n";
import { startLiveStream, stopLiveStream } from "../../live/stream";
import { UserAvatar } from "../../ui/UserAvatar";
import { ShortcutsHelp } from "../../ui/shortcuts";

type NavItem = { to: string; label: MessageKey; show: boolean };

/** The frame of every staff screen: header, navigation by role, and the tab's live stream. */
export function StaffShell({ children }: { children?: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const { data: user } = useSuspenseQuery(sessionQuery());
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const { toggleColorScheme } = useMantineColorScheme();

  useEffect(() => {
    startLiveStream(queryClient);
    return () => stopLiveStream();
  }, [queryClient]);
  useEffect(() => close(), [pathname, close]);

  const items: NavItem[] = [
    { to: "/inbox", label: "nav.inbox", show: true },
    { to: "/board", label: "nav.board", show: isLead(user) },
    { to: "/approvals", label: "nav.approvals", show: true },
    { to: "/admin", label: "nav.admin", show: isAdmin(user) },
  ];

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t("nav.openMenu")} />
            <Text fw={700} size="lg" component={Link} to="/inbox" c="inherit" td="none">
              {t("app.name")}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Tooltip label={t("nav.colorScheme")}>
              <ActionIcon variant="subtle" onClick={toggleColorScheme} aria-label={t("nav.colorScheme")}>
                ◐
              </ActionIcon>
            </Tooltip>
            {user && (
              <Menu position="bottom-end">
                <Menu.Target>
                  <UnstyledButton>
                    {/* Named by hidden text, not aria-label: axe wants a visible label (the initials) inside the name. */}
                    <span aria-hidden="true">
                      <UserAvatar name={user.name} />
                    </span>
                    <VisuallyHidden>{`${t("nav.account")}: ${user.name}`}</VisuallyHidden>
                  </UnstyledButton>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>
                    {user.name} · {user.role}
                  </Menu.Label>
                  <Menu.Item
                    onClick={async () => {
                      stopLiveStream();
                      await logOut(queryClient);
                      void navigate({ to: "/login" });
                    }}
                  >
                    {t("nav.logOut")}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t("nav.main")}>
        {items
          .filter((i) => i.show)
          .map((i) => (
            <NavLink key={i.to} component={Link} to={i.to} label={t(i.label)} active={pathname.startsWith(i.to)} />
          ))}
      </AppShell.Navbar>
      <AppShell.Main id="main">{children ?? <Outlet />}</AppShell.Main>
      <ShortcutsHelp />
    </AppShell>
  );
}
