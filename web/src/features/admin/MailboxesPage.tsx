import { Button, Checkbox, Group, NumberInput, PasswordInput, Select, Table, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { adminApi, invalidateAdmin, mailboxesQuery, teamsQuery, type Mailbox, type Team } from "../../api/admin";
import { t } from "../../i18n";
import { AdminForm, AdminHeader, AdminList, EditButton, FormActions, SelectedDialog, StatusBadge, useRemoveItem, useSaveItem, useSelectedItem } from "./admin-form";

/** Mailboxes: the address customers write to, where its tickets land, and the IMAP folder polled for it. */
export function MailboxesPage() {
  const { data: boxes } = useSuspenseQuery(mailboxesQuery());
  const { data: teams } = useSuspenseQuery(teamsQuery());
  const selection = useSelectedItem(boxes);
  const { select } = selection;
  const qc = useQueryClient();
  const poll = useMutation({
    mutationFn: (b: Mailbox) => adminApi.pollMailbox(b.id),
    onSuccess: async (r, b) => {
      notifications.show({
        title: t("admin.mailboxes.polled", { name: b.name }),
        message: t("admin.mailboxes.pollResult", { fetched: r.fetched, tickets: r.filed.ticket, replies: r.filed.reply, other: r.filed.ignored + r.filed.quarantined + r.filed.duplicate }),
      });
      await invalidateAdmin(qc, "mailboxes");
    },
  });
  return (
    <>
      <AdminHeader title="admin.mailboxes.title" intro="admin.mailboxes.intro" newLabel="admin.mailboxes.new" onNew={() => select("new")} />
      <AdminList
        label={t("admin.mailboxes.title")}
        minWidth={760}
        columns={["admin.field.name", "admin.mailboxes.address", "admin.mailboxes.team", "admin.mailboxes.imap", "admin.field.status"]}
        items={boxes}
        cells={(b) => (
          <>
            <Table.Td>{b.name}</Table.Td>
            <Table.Td>{b.address}</Table.Td>
            <Table.Td>{teams.find((tm) => tm.id === b.teamId)?.name ?? t("admin.mailboxes.defaultIntake")}</Table.Td>
            <Table.Td>
              <Text size="xs">{b.imapHost ? `${b.imapUser ?? ""}@${b.imapHost}:${b.imapPort ?? (b.imapSecure ? 993 : 143)} ${b.imapFolder} · ${t("admin.mailboxes.every", { s: b.pollSeconds })}` : t("admin.mailboxes.smtpOnly")}</Text>
            </Table.Td>
            <Table.Td>
              <StatusBadge active={b.active} />
            </Table.Td>
          </>
        )}
        actions={(b) => (
          <Group gap="xs" wrap="nowrap">
            <EditButton name={b.name} onClick={() => select(b.id)} />
            {b.imapHost && (
              <Button size="xs" variant="default" loading={poll.isPending && poll.variables?.id === b.id} onClick={() => poll.mutate(b)} aria-label={t("admin.mailboxes.pollNamed", { name: b.name })}>
                {t("admin.mailboxes.poll")}
              </Button>
            )}
          </Group>
        )}
      />
      <SelectedDialog selection={selection} newTitle="admin.mailboxes.new" editTitle="admin.mailboxes.edit">
        {(editing) => <MailboxForm key={selection.selected} box={editing} teams={teams} onDone={selection.close} />}
      </SelectedDialog>
    </>
  );
}

function MailboxForm({ box, teams, onDone }: { box: Mailbox | undefined; teams: Team[]; onDone: () => void }) {
  const form = useForm({
    initialValues: {
      name: box?.name ?? "",
      address: box?.address ?? "",
      teamId: box?.teamId ?? "",
      imapHost: box?.imapHost ?? "",
      imapPort: (box?.imapPort ?? "") as number | string,
      imapSecure: box?.imapSecure ?? true,
      imapUser: box?.imapUser ?? "",
      imapPassword: "",
      imapFolder: box?.imapFolder ?? "INBOX",
      pollSeconds: box?.pollSeconds ?? 60,
      active: box?.active ?? true,
    },
  });
  const fields = Object.keys(form.values);
  const { save, problem } = useSaveItem(form, {
    list: "mailboxes",
    fields: fields,
    mutationFn: (v: typeof form.values) => {
      const orNull = (s: string) => (s.trim() === "" ? null : s.trim());
      const body = {
        name: v.name,
        address: v.address,
        teamId: v.teamId === "" ? null : v.teamId,
        imapHost: orNull(v.imapHost),
        imapPort: typeof v.imapPort === "number" ? v.imapPort : null,
        imapSecure: v.imapSecure,
        imapUser: orNull(v.imapUser),
        imapFolder: v.imapFolder,
        pollSeconds: v.pollSeconds,
        active: v.active,
        // Write-only: left blank on an edit, the stored password stays.
        ...(v.imapPassword !== "" ? { imapPassword: v.imapPassword } : box ? {} : { imapPassword: null }),
      };
      return box ? adminApi.updateMailbox(box.id, body) : adminApi.createMailbox(body);
    },
    onSaved: onDone,
  });
  const remove = useRemoveItem("mailboxes", () => adminApi.deleteMailbox(box!.id), onDone);
  return (
    <AdminForm onSubmit={form.onSubmit((v) => save.mutate(v))} problem={problem}>
      <TextInput label={t("admin.field.name")} required {...form.getInputProps("name")} />
      <TextInput label={t("admin.mailboxes.address")} type="email" required {...form.getInputProps("address")} />
      <Select
        label={t("admin.mailboxes.team")}
        data={[{ value: "", label: t("admin.mailboxes.defaultIntake") }, ...teams.map((tm) => ({ value: tm.id, label: tm.name }))]}
        allowDeselect={false}
        {...form.getInputProps("teamId")}
      />
      <Text size="sm" fw={500}>
        {t("admin.mailboxes.imap")}
      </Text>
      <Text size="xs" c="dimmed">
        {t("admin.mailboxes.imapHint")}
      </Text>
      <Group grow align="flex-start" wrap="wrap">
        <TextInput miw={200} label={t("admin.mailboxes.host")} {...form.getInputProps("imapHost")} />
        <NumberInput miw={120} label={t("admin.mailboxes.port")} allowDecimal={false} min={1} max={65535} {...form.getInputProps("imapPort")} />
      </Group>
      <Checkbox label={t("admin.mailboxes.secure")} {...form.getInputProps("imapSecure", { type: "checkbox" })} />
      <Group grow align="flex-start" wrap="wrap">
        <TextInput miw={200} label={t("admin.mailboxes.user")} {...form.getInputProps("imapUser")} />
        <PasswordInput
          miw={200}
          label={t("admin.mailboxes.password")}
          description={box?.hasImapPassword ? t("admin.mailboxes.passwordKept") : undefined}
          {...form.getInputProps("imapPassword")}
        />
      </Group>
      <Group grow align="flex-start" wrap="wrap">
        <TextInput miw={160} label={t("admin.mailboxes.folder")} {...form.getInputProps("imapFolder")} />
        <NumberInput miw={160} label={t("admin.mailboxes.pollSeconds")} allowDecimal={false} min={5} {...form.getInputProps("pollSeconds")} />
      </Group>
      <Checkbox label={t("admin.active")} {...form.getInputProps("active", { type: "checkbox" })} />
      {box && (
        <Button variant="light" color="red" w="fit-content" onClick={() => remove.mutate()} loading={remove.isPending}>
          {t("admin.mailboxes.delete")}
        </Button>
      )}
      <FormActions saving={save.isPending} onCancel={onDone} />
    </AdminForm>
  );
}
