import { NumberInput, Table, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useSuspenseQuery } from "@tanstack/react-query";
import { adminApi, levelsQuery, teamsQuery, type Level } from "../../api/admin";
import { t } from "../../i18n";
import { AdminForm, AdminHeader, AdminList, EditButton, FormActions, SelectedDialog, useSaveItem, useSelectedItem } from "./admin-form";

/** Support levels (tiers), lowest rank first, with their teams; create and edit in a dialog. */
export function LevelsPage() {
  const { data: levels } = useSuspenseQuery(levelsQuery());
  const { data: teams } = useSuspenseQuery(teamsQuery());
  const selection = useSelectedItem(levels);
  const { select } = selection;
  return (
    <>
      <AdminHeader title="admin.levels.title" intro="admin.levels.intro" newLabel="admin.levels.new" onNew={() => select("new")} />
      <AdminList
        label={t("admin.levels.title")}
        minWidth={420}
        columns={["admin.field.rank", "admin.field.name", "admin.levels.teams"]}
        items={levels}
        cells={(l) => (
          <>
            <Table.Td>{l.rank}</Table.Td>
            <Table.Td>{l.name}</Table.Td>
            <Table.Td>{teams.filter((tm) => tm.levelId === l.id).map((tm) => tm.name).join(", ") || "—"}</Table.Td>
          </>
        )}
        actions={(l) => <EditButton name={l.name} onClick={() => select(l.id)} />}
      />
      <SelectedDialog selection={selection} newTitle="admin.levels.new" editTitle="admin.levels.edit">
        {(editing) => <LevelForm key={selection.selected} level={editing} nextRank={Math.max(0, ...levels.map((l) => l.rank)) + 1} onDone={selection.close} />}
      </SelectedDialog>
    </>
  );
}

function LevelForm({ level, nextRank, onDone }: { level: Level | undefined; nextRank: number; onDone: () => void }) {
  const form = useForm({ initialValues: { name: level?.name ?? "", rank: level?.rank ?? nextRank } });
  const { save, problem } = useSaveItem(form, {
    list: "levels",
    fields: ["name", "rank"],
    mutationFn: (v: typeof form.values) => (level ? adminApi.updateLevel(level.id, v) : adminApi.createLevel(v)),
    onSaved: onDone,
  });
  return (
    <AdminForm onSubmit={form.onSubmit((v) => save.mutate(v))} problem={problem}>
      <TextInput label={t("admin.field.name")} required {...form.getInputProps("name")} />
      <NumberInput label={t("admin.field.rank")} description={t("admin.levels.rankHint")} required allowDecimal={false} {...form.getInputProps("rank")} />
      <FormActions saving={save.isPending} onCancel={onDone} />
    </AdminForm>
  );
}
