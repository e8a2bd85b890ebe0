import { Button, Stack, Switch, Text } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useState } from "react";
import { adminApi, agentsQuery, settingsQuery } from "../../api/admin";
import { t } from "../../i18n";
import { AdminHeader, applyProblem, FormProblem } from "./admin-form";

/** The installation's settings. */
export function SettingsPage() {
  const { data: settings } = useSuspenseQuery(settingsQuery());
  const { data: agents } = useSuspenseQuery(agentsQuery());
  const qc = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({ initialValues: { customerMayChoosePriority: settings.customerMayChoosePriority } });
  const save = useMutation({
    meta: { handlesProblem: true },
    mutationFn: (v: typeof form.values) => adminApi.updateSettings(v),
    onSuccess: (next) => {
      qc.setQueryData(settingsQuery().queryKey, next);
      form.resetDirty({ customerMayChoosePriority: next.customerMayChoosePriority });
      setProblem(null);
    },
    onError: (err) => setProblem(applyProblem(form, err, ["customerMayChoosePriority"])),
  });
  const by = agents.find((a) => a.id === settings.updatedById)?.name;
  return (
    <>
      <AdminHeader title="admin.settings.title" intro="admin.settings.intro" />
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack maw={640}>
          <FormProblem message={problem} />
          <Switch
            label={t("admin.settings.customerPriority")}
            description={t("admin.settings.customerPriorityHint")}
            {...form.getInputProps("customerMayChoosePriority", { type: "checkbox" })}
          />
          <Text size="sm" c="dimmed" role="status">
            {settings.updatedAt
              ? t("admin.settings.changed", { when: dayjs(settings.updatedAt).format("D MMM YYYY HH:mm"), who: by ?? "—" })
              : t("admin.settings.never")}
          </Text>
          <Button type="submit" w="fit-content" loading={save.isPending} disabled={!form.isDirty()}>
            {t("admin.save")}
          </Button>
        </Stack>
      </form>
    </>
  );
}
