import { Badge, Button, Code, Group, Paper, Stack, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { adminApi, emailTemplatesQuery, type EmailPreview, type EmailTemplate } from "../../api/admin";
import { t } from "../../i18n";
import { AdminHeader, AdminList, applyProblem, EditButton, FormActions, FormModal, FormProblem, useRemoveItem, useSaveItem, useSelectedItem } from "./admin-form";

/** The emails Tierline sends: edit one with its placeholders, preview it rendered, or go back to the built-in text. */
export function EmailTemplatesPage() {
  const { data: templates } = useSuspenseQuery(emailTemplatesQuery());
  const { select, editing, close } = useSelectedItem(templates, (x) => x.key);
  return (
    <>
      <AdminHeader title="admin.templates.title" intro="admin.templates.intro" />
      <AdminList
        label={t("admin.templates.title")}
        minWidth={640}
        columns={["admin.templates.key", "admin.templates.audience", "admin.templates.description", "admin.field.status"]}
        items={templates}
        rowKey={(tp) => tp.key}
        cells={(tp) => (
          <>
            <Table.Td>
              <Code>{tp.key}</Code>
            </Table.Td>
            <Table.Td>{t(tp.audience === "customer" ? "admin.templates.toCustomer" : "admin.templates.toAgent")}</Table.Td>
            <Table.Td>
              <Text size="sm">{tp.description}</Text>
            </Table.Td>
            <Table.Td>
              <Badge variant="filled" color={tp.isCustomised ? "blue.8" : "gray.7"}>
                {tp.isCustomised ? t("admin.templates.customised") : t("admin.templates.builtIn")}
              </Badge>
            </Table.Td>
          </>
        )}
        actions={(tp) => <EditButton name={tp.key} onClick={() => select(tp.key)} />}
      />
      <FormModal opened={editing !== undefined} onClose={close} title={editing ? t("admin.templates.edit", { key: editing.key }) : ""} size="xl">
        {editing && <TemplateForm key={`${editing.key}-${editing.updatedAt ?? "built-in"}`} template={editing} onDone={close} />}
      </FormModal>
    </>
  );
}

function TemplateForm({ template, onDone }: { template: EmailTemplate; onDone: () => void }) {
  const [preview, setPreview] = useState<EmailPreview | null>(null);
  const form = useForm({ initialValues: { subject: template.subject, text: template.text, html: template.html } });
  const fields = ["subject", "text", "html"];
  const { save, problem, setProblem } = useSaveItem(form, {
    list: "email-templates",
    fields,
    mutationFn: (v: typeof form.values) => adminApi.saveEmailTemplate(template.key, v),
    onSaved: onDone,
  });
  const render = useMutation({
    meta: { handlesProblem: true },
    mutationFn: () => adminApi.previewEmailTemplate(template.key, form.getValues()),
    onSuccess: (p) => {
      setProblem(null);
      setPreview(p);
    },
    onError: (err) => {
      setPreview(null);
      setProblem(applyProblem(form, err, fields));
    },
  });
  const reset = useRemoveItem("email-templates", () => adminApi.resetEmailTemplate(template.key), onDone);
  const mono = { input: { fontFamily: "var(--mantine-font-family-monospace)" } };
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        <Text size="sm">{template.description}</Text>
        <div>
          <Text size="sm" fw={500}>
            {t("admin.templates.placeholders")}
          </Text>
          <Group gap={6} mt={4} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("admin.templates.placeholders")}>
            {template.placeholders.map((p) => (
              <li key={p}>
                <Code>{`{{${p.replace(/^\{\{|\}\}$/g, "")}}}`}</Code>
              </li>
            ))}
          </Group>
        </div>
        <FormProblem message={problem} />
        <TextInput label={t("admin.templates.subject")} required {...form.getInputProps("subject")} />
        <Textarea label={t("admin.templates.text")} autosize minRows={5} maxRows={16} styles={mono} {...form.getInputProps("text")} />
        <Textarea label={t("admin.templates.html")} autosize minRows={5} maxRows={16} styles={mono} {...form.getInputProps("html")} />
        <Group>
          <Button variant="light" onClick={() => render.mutate()} loading={render.isPending}>
            {t("admin.templates.preview")}
          </Button>
          {template.isCustomised && (
            <Button variant="light" color="red" onClick={() => reset.mutate()} loading={reset.isPending}>
              {t("admin.templates.reset")}
            </Button>
          )}
        </Group>
        {preview && (
          <Paper withBorder p="sm" component="section" aria-label={t("admin.templates.previewTitle")}>
            <Title order={2} size="h5">
              {t("admin.templates.previewTitle")}
            </Title>
            <Text size="sm" mt="xs">
              <Text span fw={500}>
                {t("admin.templates.subject")}:
              </Text>{" "}
              {preview.subject}
            </Text>
            <Text size="sm" component="pre" style={{ whiteSpace: "pre-wrap", fontFamily: "inherit" }} mt="xs">
              {preview.text}
            </Text>
            {/* The rendered HTML in a sandbox: it can run no script and reach nothing of the app. */}
            <iframe title={t("admin.templates.htmlPreview")} sandbox="" srcDoc={preview.html} style={{ width: "100%", minHeight: 240, border: "1px solid var(--mantine-color-default-border)", background: "white" }} />
          </Paper>
        )}
        <FormActions saving={save.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}
