import { Button, Card, Select, Stack, Textarea, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { ApiProblem } from "../../api/problem";
import { createPortalTicket, portalSettingsQuery, type PortalPriority } from "../../api/portal";
import { t } from "../../i18n";

type Values = { subject: string; description: string; category: string | null; priority: PortalPriority | null };

/**
 * `/portal/new`: subject and description, a topic when the routing knows some, and a priority only when
 * an admin lets customers choose it (never urgent; the server gives normal otherwise).
 */
export function PortalNewTicket() {
  const { data: settings } = useSuspenseQuery(portalSettingsQuery());
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useForm<Values>({
    initialValues: { subject: "", description: "", category: null, priority: settings.customerMayChoosePriority ? "normal" : null },
    validate: {
      subject: (v) => (v.trim() ? null : t("problem.validation")),
      description: (v) => (v.trim() ? null : t("problem.validation")),
    },
  });
  const create = useMutation({
    mutationFn: (v: Values) =>
      createPortalTicket(queryClient, {
        subject: v.subject.trim(),
        description: v.description.trim(),
        category: v.category ?? undefined,
        priority: settings.customerMayChoosePriority && v.priority ? v.priority : undefined,
      }),
    meta: { handlesProblem: true },
    onSuccess: (ticket) => {
      notifications.show({ color: "green", message: t("portal.new.created", { number: ticket.number }), closeButtonProps: { "aria-label": t("portal.notice.close") } });
      void navigate({ to: "/portal/tickets/$number", params: { number: ticket.number } });
    },
    onError: (err) => {
      if (err instanceof ApiProblem) form.setErrors(err.fieldErrors());
    },
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        {t("portal.new.title")}
      </Title>
      <Card withBorder>
        <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
          <Stack>
            <TextInput label={t("portal.new.subject")} required maxLength={300} {...form.getInputProps("subject")} />
            <Textarea label={t("portal.new.description")} required autosize minRows={5} maxRows={16} {...form.getInputProps("description")} />
            {settings.categories.length > 0 && (
              <Select
                label={t("portal.new.category")}
                placeholder={t("portal.new.categoryPlaceholder")}
                data={settings.categories}
                clearable
                {...form.getInputProps("category")}
              />
            )}
            {settings.customerMayChoosePriority && settings.priorities.length > 0 && (
              <Select
                label={t("portal.new.priority")}
                data={settings.priorities.map((p) => ({ value: p, label: t(`portal.new.priority.${p}`) }))}
                allowDeselect={false}
                {...form.getInputProps("priority")}
              />
            )}
            <Button type="submit" loading={create.isPending} style={{ alignSelf: "flex-start" }}>
              {t("portal.new.submit")}
            </Button>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
