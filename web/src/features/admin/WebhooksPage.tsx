import { Alert, Button, Checkbox, Code, CopyButton, Group, MultiSelect, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { adminApi, webhookEventsQuery, webhooksQuery, type Webhook, type WebhookWithSecret } from "../../api/admin";
import { t } from "../../i18n";
import { AdminForm, AdminHeader, AdminList, EditButton, FormActions, SelectedDialog, StatusBadge, useRemoveItem, useSaveItem, useSelectedItem } from "./admin-form";

const FORMATS = ["json", "slack", "teams"] as const;

/** Webhooks: what they send where; the signing secret is shown once, when created or rotated. */
export function WebhooksPage() {
  const { data: hooks } = useSuspenseQuery(webhooksQuery());
  const { data: events } = useSuspenseQuery(webhookEventsQuery());
  const selection = useSelectedItem(hooks);
  const { select } = selection;
  const [secret, setSecret] = useState<WebhookWithSecret | null>(null);
  const close = () => {
    setSecret(null);
    select(undefined);
  };
  return (
    <>
      <AdminHeader title="admin.webhooks.title" intro="admin.webhooks.intro" newLabel="admin.webhooks.new" onNew={() => select("new")} />
      <AdminList
        label={t("admin.webhooks.title")}
        minWidth={720}
        columns={["admin.field.name", "admin.webhooks.url", "admin.webhooks.events", "admin.webhooks.format", "admin.field.status"]}
        items={hooks}
        cells={(w) => (
          <>
            <Table.Td>{w.name}</Table.Td>
            <Table.Td style={{ wordBreak: "break-all" }}>{w.url}</Table.Td>
            <Table.Td>
              <Text size="xs">{w.events.length === 0 ? t("admin.webhooks.allEvents") : w.events.join(", ")}</Text>
            </Table.Td>
            <Table.Td>{w.format}</Table.Td>
            <Table.Td>
              <StatusBadge active={w.active} />
            </Table.Td>
          </>
        )}
        actions={(w) => <EditButton name={w.name} onClick={() => select(w.id)} />}
      />
      <SelectedDialog selection={selection} newTitle="admin.webhooks.new" editTitle="admin.webhooks.edit" onClose={close}>
        {(editing) => (secret ? <SecretOnce hook={secret} onDone={close} /> : <WebhookForm key={selection.selected} hook={editing} events={events} onSecret={setSecret} onDone={close} />)}
      </SelectedDialog>
    </>
  );
}

/** The secret, this once: the server never shows it again. */
function SecretOnce({ hook, onDone }: { hook: WebhookWithSecret; onDone: () => void }) {
  return (
    <Stack>
      <Alert color="yellow" title={t("admin.webhooks.secretTitle")}>
        {t("admin.webhooks.secretOnce")}
      </Alert>
      <Code block aria-label={t("admin.webhooks.secret")} style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
        {hook.secret}
      </Code>
      <Group justify="flex-end">
        <CopyButton value={hook.secret}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? t("admin.copied") : t("admin.copy")}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>{t("admin.done")}</Button>
      </Group>
    </Stack>
  );
}

function WebhookForm({ hook, events, onSecret, onDone }: { hook: Webhook | undefined; events: string[]; onSecret: (w: WebhookWithSecret) => void; onDone: () => void }) {
  const form = useForm({
    initialValues: { name: hook?.name ?? "", url: hook?.url ?? "", events: hook?.events ?? [], format: hook?.format ?? ("json" as Webhook["format"]), active: hook?.active ?? true },
  });
  const fields = ["name", "url", "events", "format", "active"];
  const { save, problem } = useSaveItem(form, {
    list: "webhooks",
    fields,
    mutationFn: (v: typeof form.values) => (hook ? adminApi.updateWebhook(hook.id, v) : adminApi.createWebhook(v)),
    onSaved: (w) => {
      if ("secret" in w) onSecret(w as WebhookWithSecret);
      else onDone();
    },
  });
  const rotate = useMutation({
    mutationFn: () => adminApi.rotateWebhookSecret(hook!.id),
    onSuccess: (w) => onSecret(w),
  });
  const remove = useRemoveItem("webhooks", () => adminApi.deleteWebhook(hook!.id), onDone);
  return (
    <AdminForm onSubmit={form.onSubmit((v) => save.mutate(v))} problem={problem}>
      <TextInput label={t("admin.field.name")} required {...form.getInputProps("name")} />
      <TextInput label={t("admin.webhooks.url")} required placeholder="https://example.com/hooks/tierline" {...form.getInputProps("url")} />
      <MultiSelect label={t("admin.webhooks.events")} description={t("admin.webhooks.eventsHint")} data={events} searchable {...form.getInputProps("events")} />
      <Select label={t("admin.webhooks.format")} data={[...FORMATS]} allowDeselect={false} {...form.getInputProps("format")} />
      <Checkbox label={t("admin.active")} {...form.getInputProps("active", { type: "checkbox" })} />
      {hook && (
        <Group>
          <Button variant="light" onClick={() => rotate.mutate()} loading={rotate.isPending}>
            {t("admin.webhooks.rotate")}
          </Button>
          <Button variant="light" color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
            {t("admin.webhooks.delete")}
          </Button>
        </Group>
      )}
      <FormActions saving={save.isPending} onCancel={onDone} />
    </AdminForm>
  );
}
