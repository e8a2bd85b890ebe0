import { Spotlight, spotlight } from "@mantine/spotlight";
import { IconHash, IconLogout, IconSearch } from "@tabler/icons-react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "@tanstack/react-router";
import { useDeferredValue, useRef, useState, type KeyboardEvent } from "react";
import { ticketSearchQuery } from "../../api/inbox";
import { isAdmin, isLead, logOut } from "../../api/session";
import type { User } from "../../api/types";
import { t, type MessageKey } from "../../i18n";
import { stopLiveStream } from "../../live/stream";
import { useShortcuts } from "../../ui/shortcuts";

type Destination = { path: string; label: MessageKey; show: boolean };

/** Every screen the palette goes to, for the person's role (the admin pages' paths are the slices' contract). */
function destinations(user: User): Destination[] {
  const admin = isAdmin(user);
  const views: [string, MessageKey][] = [
    ["mine", "inbox.view.mine"],
    ["team", "inbox.view.team"],
    ["escalated", "inbox.view.escalated"],
    ["at-risk", "inbox.view.atRisk"],
    ["waiting", "inbox.view.waiting"],
    ["all", "inbox.view.all"],
  ];
  const adminPages: [string, MessageKey][] = [
    ["", "inbox.palette.admin.index"],
    ["/levels", "inbox.palette.admin.levels"],
    ["/teams", "inbox.palette.admin.teams"],
    ["/agents", "inbox.palette.admin.agents"],
    ["/calendars", "inbox.palette.admin.calendars"],
    ["/sla", "inbox.palette.admin.sla"],
    ["/rules", "inbox.palette.admin.rules"],
    ["/webhooks", "inbox.palette.admin.webhooks"],
    ["/mailboxes", "inbox.palette.admin.mailboxes"],
    ["/templates", "inbox.palette.admin.templates"],
    ["/settings", "inbox.palette.admin.settings"],
    ["/flowchart", "inbox.palette.admin.flowchart"],
    ["/policy", "inbox.palette.admin.policy"],
  ];
  return [
    ...views.map(([view, label]) => ({ path: `/inbox?view=${view}`, label, show: true })),
    { path: "/board", label: "inbox.palette.board", show: isLead(user) },
    { path: "/approvals", label: "inbox.palette.approvals", show: true },
    ...adminPages.map(([sub, label]) => ({ path: `/admin${sub}`, label, show: admin })),
  ];
}

/** A ticket number typed as `123` or `#123`. */
const NUMBER = /^#?\s*(\d{1,10})$/;

/**
 * The staff frame's command palette (Ctrl/⌘+K): go to a screen, jump to a ticket by number, search
 * tickets by text (the inbox's `q` filter, with the first matches right here), log out.
 */
export function CommandPalette({ user }: { user: User }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim());
  const number = NUMBER.exec(deferred)?.[1];
  const found = useQuery({ ...ticketSearchQuery(deferred), enabled: deferred.length >= 2 && !number });
  useShortcuts([{ keys: "mod+k", label: "shortcuts.palette", run: () => spotlight.toggle() }]);

  const go = (path: string) => void router.history.push(path);
  const needle = deferred.toLowerCase();
  const screens = destinations(user).filter((d) => d.show && (needle === "" || t(d.label).toLowerCase().includes(needle)));
  const showLogOut = needle === "" || t("nav.logOut").toLowerCase().includes(needle);
  const results = found.data?.data ?? [];
  // Enter without an arrowed choice takes the first answer (the ticket of a typed number, the search), as
  // people expect of a palette; Mantine's own Enter only triggers an action chosen with the arrows.
  const list = useRef<HTMLDivElement>(null);
  const takeFirst = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Enter" || !list.current || list.current.querySelector("[data-selected]")) return;
    list.current.querySelector<HTMLButtonElement>("button")?.click();
  };
  const nothing = !number && deferred.length < 2 && screens.length === 0 && !showLogOut;

  return (
    <Spotlight.Root query={query} onQueryChange={setQuery} shortcut={null} scrollable maxHeight={420}>
      <Spotlight.Search onKeyDown={takeFirst} aria-label={t("palette.placeholder")} placeholder={t("palette.placeholder")} leftSection={<IconSearch size={18} aria-hidden />} />
      <Spotlight.ActionsList ref={list} aria-label={t("inbox.palette.results")}>
        {number && (
          <Spotlight.Action
            label={t("inbox.palette.openTicket", { number })}
            leftSection={<IconHash size={18} aria-hidden />}
            onClick={() => go(`/tickets/${number}`)}
          />
        )}
        {!number && deferred.length >= 2 && (
          <Spotlight.ActionsGroup label={t("inbox.palette.tickets")}>
            <Spotlight.Action
              label={t("inbox.palette.searchTickets", { q: deferred })}
              leftSection={<IconSearch size={18} aria-hidden />}
              onClick={() => void router.navigate({ to: "/inbox", search: { view: "all", q: deferred } })}
            />
            {results.map((tk) => (
              <Spotlight.Action key={tk.id} label={`#${tk.number} ${tk.subject}`} description={tk.customerName} onClick={() => go(`/tickets/${tk.number}`)} />
            ))}
          </Spotlight.ActionsGroup>
        )}
        {screens.length > 0 && (
          <Spotlight.ActionsGroup label={t("inbox.palette.goTo")}>
            {screens.map((d) => (
              <Spotlight.Action key={d.path} label={t(d.label)} onClick={() => go(d.path)} />
            ))}
          </Spotlight.ActionsGroup>
        )}
        {showLogOut && (
          <Spotlight.Action
            label={t("nav.logOut")}
            leftSection={<IconLogout size={18} aria-hidden />}
            onClick={async () => {
              stopLiveStream();
              await logOut(queryClient);
              void router.navigate({ to: "/login" });
            }}
          />
        )}
        {nothing && <Spotlight.Empty>{t("palette.nothing")}</Spotlight.Empty>}
      </Spotlight.ActionsList>
    </Spotlight.Root>
  );
}
