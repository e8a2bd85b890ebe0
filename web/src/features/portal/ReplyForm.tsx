import { Alert, Button, Card, FileInput, Stack, Textarea, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiProblem } from "../../api/problem";
import { sendReply } from "../../api/portal";
import type { CustomerTicket } from "../../api/types";
import { t } from "../../i18n";
import { UPLOAD_ACCEPT, checkFiles } from "./upload-limits";

/** The customer's reply, with files; a closed request takes none. */
export function ReplyForm({ ticket }: { ticket: CustomerTicket }) {
  const queryClient = useQueryClient();
  const form = useForm<{ body: string; files: File[] }>({
    initialValues: { body: "", files: [] },
    validate: { body: (v) => (v.trim() ? null : t("problem.validation")), files: (v) => checkFiles(v) },
  });
  const reply = useMutation({
    mutationFn: (v: { body: string; files: File[] }) => sendReply(queryClient, ticket, v.body.trim(), v.files),
    meta: { handlesProblem: true },
    onSuccess: () => {
      form.reset();
      notifications.show({ color: "green", message: t("portal.reply.sent"), closeButtonProps: { "aria-label": t("portal.notice.close") } });
    },
    onError: (err) => {
      if (err instanceof ApiProblem) {
        const fields = err.fieldErrors();
        form.setErrors({ body: fields.body, files: Object.entries(fields).find(([k]) => k.startsWith("attachments"))?.[1] ?? (err.status === 413 ? err.detail : undefined) });
      }
    },
  });
  if (ticket.status === "closed") return <Alert color="gray">{t("portal.reply.closed")}</Alert>;
  const failure = reply.error instanceof ApiProblem && reply.error.fields.length === 0 && reply.error.status !== 413 ? reply.error.detail : null;
  return (
    <Card withBorder component="section" aria-labelledby="portal-reply">
      <form onSubmit={form.onSubmit((v) => reply.mutate(v))} noValidate>
        <Stack>
          <Title order={2} size="h4" id="portal-reply">
            {t("portal.reply.title")}
          </Title>
          {failure && (
            <Alert color="red" role="alert">
              {failure}
            </Alert>
          )}
          <Textarea label={t("portal.reply.label")} autosize minRows={3} maxRows={12} required {...form.getInputProps("body")} />
          <FileInput
            label={t("portal.reply.files")}
            description={t("portal.reply.filesHint")}
            placeholder={t("portal.reply.choose")}
            multiple
            clearable
            accept={UPLOAD_ACCEPT}
            {...form.getInputProps("files")}
          />
          <Button type="submit" loading={reply.isPending} style={{ alignSelf: "flex-start" }}>
            {t("portal.reply.send")}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
