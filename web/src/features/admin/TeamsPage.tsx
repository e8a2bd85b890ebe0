import { Badge, Group, Select, Table, TagsInput, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useSuspenseQuery } from "@tanstack/react-query";
import { adminApi, agentsQuery, levelsQuery, teamsQuery, type Level, type Team } from "../../api/admin";
import { t } from "../../i18n";
import { AdminForm, AdminHeader, AdminList, EditButton, FormActions, SelectedDialog, useSaveItem, useSelectedItem } from "./admin-form";

const KINDS = ["frontline", "specialist", "management"] as const;

/** Teams by level, with their kind, the categories they own and their members. */
export function TeamsPage() {
  const { data: teams } = useSuspenseQuery(teamsQuery());
  const { data: levels } = useSuspenseQuery(levelsQuery());
  const { data: agents } = useSuspenseQuery(agentsQuery());
  const selection = useSelectedItem(teams);
  const { select } = selection;
  const levelName = (id: string) => levels.find((l) => l.id === id)?.name ?? "—";
  return (
    <>
      <AdminHeader title="admin.teams.title" intro="admin.teams.intro" newLabel="admin.teams.new" onNew={() => select("new")} />
      <AdminList
        label={t("admin.teams.title")}
        columns={["admin.field.name", "admin.field.level", "admin.field.kind", "admin.field.categories", "admin.teams.members"]}
        items={teams}
        cells={(tm) => (
          <>
            <Table.Td>{tm.name}</Table.Td>
            <Table.Td>{levelName(tm.levelId)}</Table.Td>
            <Table.Td>{t(`admin.kind.${tm.kind}`)}</Table.Td>
            <Table.Td>
              <Group gap={4}>
                {tm.categories.map((c) => (
                  <Badge key={c} variant="outline" color="dark" tt="none">
                    {c}
                  </Badge>
                ))}
              </Group>
            </Table.Td>
            <Table.Td>{agents.filter((a) => a.active && a.teamIds.includes(tm.id)).length}</Table.Td>
          </>
        )}
        actions={(tm) => <EditButton name={tm.name} onClick={() => select(tm.id)} />}
      />
      <SelectedDialog selection={selection} newTitle="admin.teams.new" editTitle="admin.teams.edit">
        {(editing) => <TeamForm key={selection.selected} team={editing} levels={levels} onDone={selection.close} />}
      </SelectedDialog>
    </>
  );
}

function TeamForm({ team, levels, onDone }: { team: Team | undefined; levels: Level[]; onDone: () => void }) {
  const form = useForm({
    initialValues: { name: team?.name ?? "", levelId: team?.levelId ?? levels[0]?.id ?? "", kind: team?.kind ?? ("specialist" as Team["kind"]), categories: team?.categories ?? [] },
  });
  const { save, problem } = useSaveItem(form, {
    list: "teams",
    fields: ["name", "levelId", "kind", "categories"],
    mutationFn: (v: typeof form.values) =>
      team ? adminApi.updateTeam(team.id, { name: v.name, categories: v.categories }) : adminApi.createTeam(v),
    onSaved: onDone,
  });
  return (
    <AdminForm onSubmit={form.onSubmit((v) => save.mutate(v))} problem={problem}>
      <TextInput label={t("admin.field.name")} required {...form.getInputProps("name")} />
      <Select
        label={t("admin.field.level")}
        data={levels.map((l) => ({ value: l.id, label: l.name }))}
        disabled={!!team}
        description={team ? t("admin.teams.levelFixed") : undefined}
        allowDeselect={false}
        {...form.getInputProps("levelId")}
      />
      <Select
        label={t("admin.field.kind")}
        data={KINDS.map((k) => ({ value: k, label: t(`admin.kind.${k}`) }))}
        disabled={!!team}
        allowDeselect={false}
        {...form.getInputProps("kind")}
      />
      <TagsInput label={t("admin.field.categories")} description={t("admin.teams.categoriesHint")} {...form.getInputProps("categories")} />
      <FormActions saving={save.isPending} onCancel={onDone} />
    </AdminForm>
  );
}
