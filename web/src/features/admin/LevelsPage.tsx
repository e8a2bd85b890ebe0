import { Button, NumberInput, Stack, Table, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { adminApi, invalidateAdmin, levelsQuery, teamsQuery, type Level } from "../../api/admin";
import { t } from "../../i18n";
import { AdminHeader, AdminTable, applyProblem, FormActions, FormModal, FormProblem, useSelected } from "./admin-form";

/** Support levels (tiers), lowest rank first, with their teams; create and edit in a dialog. */
export function LevelsPage() {
  const { data: levels } = useSuspenseQuery(levelsQuery());
  const { data: teams } = useSuspenseQuery(teamsQuery());
  const [selected, select] = useSelected();
  const editing = selected && selected !== "new" ? levels.find((l) => l.id === selected) : undefined;
  return (
    <>
      <AdminHeader title="admin.levels.title" intro="admin.levels.intro" action={<Button onClick={() => select("new")}>{t("admin.levels.new")}</Button>} />
      <AdminTable label={t("admin.levels.title")} minWidth={420}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("admin.field.rank")}</Table.Th>
            <Table.Th>{t("admin.field.name")}</Table.Th>
            <Table.Th>{t("admin.levels.teams")}</Table.Th>
            <Table.Th>{t("admin.actions")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {levels.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td>{l.rank}</Table.Td>
              <Table.Td>{l.name}</Table.Td>
              <Table.Td>{teams.filter((tm) => tm.levelId === l.id).map((tm) => tm.name).join(", ") || "—"}</Table.Td>
              <Table.Td>
                <Button size="xs" variant="light" onClick={() => select(l.id)} aria-label={t("admin.editNamed", { name: l.name })}>
                  {t("admin.edit")}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </AdminTable>
      <FormModal opened={selected !== undefined} onClose={() => select(undefined)} title={editing ? t("admin.levels.edit", { name: editing.name }) : t("admin.levels.new")}>
        {(selected === "new" || editing) && <LevelForm key={selected} level={editing} nextRank={Math.max(0, ...levels.map((l) => l.rank)) + 1} onDone={() => select(undefined)} />}
      </FormModal>
    </>
  );
}

function LevelForm({ level, nextRank, onDone }: { level: Level | undefined; nextRank: number; onDone: () => void }) {
  const qc = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({ initialValues: { name: level?.name ?? "", rank: level?.rank ?? nextRank } });
  const save = useMutation({
    meta: { handlesProblem: true },
    mutationFn: (v: typeof form.values) => (level ? adminApi.updateLevel(level.id, v) : adminApi.createLevel(v)),
    onSuccess: async () => {
      await invalidateAdmin(qc, "levels");
      onDone();
    },
    onError: (err) => setProblem(applyProblem(form, err, ["name", "rank"])),
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        <FormProblem message={problem} />
        <TextInput label={t("admin.field.name")} required {...form.getInputProps("name")} />
        <NumberInput label={t("admin.field.rank")} description={t("admin.levels.rankHint")} required allowDecimal={false} {...form.getInputProps("rank")} />
        <FormActions saving={save.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}
