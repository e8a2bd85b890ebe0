import { ActionIcon, Alert, Button, Checkbox, Group, MultiSelect, NumberInput, PasswordInput, Select, Stack, Table, TagsInput, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { adminApi, agentsQuery, calendarsQuery, roleLimitsQuery, teamsQuery, type Agent, type Calendar, type RoleLimit, type Team } from "../../api/admin";
import { describeProblem } from "../../api/describe-problem";
import { ApiProblem } from "../../api/problem";
import { t } from "../../i18n";
import { AdminForm, AdminHeader, AdminList, EditButton, FormActions, FormProblem, SelectedDialog, StatusBadge, useRemoveItem, useSaveItem, useSelectedItem } from "./admin-form";

const ROLES = ["agent", "lead", "manager", "admin"] as const;
const RESOLUTION_TYPES = ["refund", "credit", "replacement", "goodwill"] as const;

/** Agents with their role, teams, skills, languages, capacity and working hours; role defaults of authority limits. */
export function AgentsPage() {
  const { data: agents } = useSuspenseQuery(agentsQuery());
  const { data: teams } = useSuspenseQuery(teamsQuery());
  const { data: calendars } = useSuspenseQuery(calendarsQuery());
  const selection = useSelectedItem(agents);
  const { select } = selection;
  const teamNames = (ids: string[]) => ids.map((id) => teams.find((tm) => tm.id === id)?.name ?? "?").join(", ");
  return (
    <>
      <AdminHeader title="admin.agents.title" intro="admin.agents.intro" newLabel="admin.agents.new" onNew={() => select("new")} />
      <AdminList
        label={t("admin.agents.title")}
        minWidth={860}
        columns={["admin.field.name", "admin.field.role", "admin.field.teams", "admin.field.languages", "admin.field.capacity", "admin.field.workingHours", "admin.field.status"]}
        items={agents}
        cells={(a) => (
          <>
            <Table.Td>
              <Text size="sm" fw={500}>
                {a.name}
              </Text>
              <Text size="xs" c="dimmed">
                {a.email}
              </Text>
            </Table.Td>
            <Table.Td>{t(`admin.role.${a.role}`)}</Table.Td>
            <Table.Td>{teamNames(a.teamIds) || "—"}</Table.Td>
            <Table.Td>{a.languages.join(", ")}</Table.Td>
            <Table.Td>{a.capacity}</Table.Td>
            <Table.Td>{calendars.find((c) => c.id === a.calendarId)?.name ?? t("admin.agents.anyTime")}</Table.Td>
            <Table.Td>
              <StatusBadge active={a.active} />
            </Table.Td>
          </>
        )}
        actions={(a) => <EditButton name={a.name} onClick={() => select(a.id)} />}
      />
      <RoleLimitsSection />
      <SelectedDialog selection={selection} newTitle="admin.agents.new" editTitle="admin.agents.edit">
        {(editing) => <AgentForm key={selection.selected} agent={editing} teams={teams} calendars={calendars} onDone={selection.close} />}
      </SelectedDialog>
    </>
  );
}

function AgentForm({ agent, teams, calendars, onDone }: { agent: Agent | undefined; teams: Team[]; calendars: Calendar[]; onDone: () => void }) {
  const form = useForm({
    initialValues: {
      email: agent?.email ?? "",
      name: agent?.name ?? "",
      role: agent?.role ?? ("agent" as Agent["role"]),
      teamIds: agent?.teamIds ?? [],
      skills: agent?.skills ?? [],
      languages: agent?.languages ?? ["en"],
      capacity: agent?.capacity ?? 10,
      calendarId: agent?.calendarId ?? "",
      password: "",
      active: agent?.active ?? true,
    },
  });
  const { save, problem } = useSaveItem(form, {
    list: "agents",
    fields: ["email", "name", "role", "teamIds", "skills", "languages", "capacity", "calendarId", "password", "active"],
    mutationFn: async (v: typeof form.values) => {
      const calendarId = v.calendarId === "" ? null : v.calendarId;
      if (!agent) {
        return adminApi.createAgent({
          email: v.email,
          name: v.name,
          role: v.role,
          teamIds: v.teamIds,
          skills: v.skills,
          languages: v.languages,
          capacity: v.capacity,
          calendarId,
          ...(v.password ? { password: v.password } : {}),
        });
      }
      const updated = await adminApi.updateAgent(agent.id, {
        name: v.name,
        role: v.role,
        teamIds: v.teamIds,
        skills: v.skills,
        languages: v.languages,
        capacity: v.capacity,
        active: v.active,
      });
      return calendarId === agent.calendarId ? updated : adminApi.setWorkingHours(agent.id, calendarId);
    },
    onSaved: onDone,
  });
  const deactivate = useRemoveItem("agents", () => adminApi.deactivateAgent(agent!.id), onDone);
  const [confirming, setConfirming] = useState(false);
  return (
    <AdminForm onSubmit={form.onSubmit((v) => save.mutate(v))} problem={problem}>
      <TextInput label={t("admin.field.email")} type="email" required disabled={!!agent} {...form.getInputProps("email")} />
      <TextInput label={t("admin.field.name")} required {...form.getInputProps("name")} />
      <Select label={t("admin.field.role")} data={ROLES.map((r) => ({ value: r, label: t(`admin.role.${r}`) }))} allowDeselect={false} {...form.getInputProps("role")} />
      <MultiSelect label={t("admin.field.teams")} data={teams.map((tm) => ({ value: tm.id, label: tm.name }))} searchable {...form.getInputProps("teamIds")} />
      <TagsInput label={t("admin.field.skills")} description={t("admin.agents.skillsHint")} {...form.getInputProps("skills")} />
      <TagsInput label={t("admin.field.languages")} description={t("admin.agents.languagesHint")} {...form.getInputProps("languages")} />
      <NumberInput label={t("admin.field.capacity")} description={t("admin.agents.capacityHint")} allowDecimal={false} min={0} {...form.getInputProps("capacity")} />
      <Select
        label={t("admin.field.workingHours")}
        data={[{ value: "", label: t("admin.agents.anyTime") }, ...calendars.map((c) => ({ value: c.id, label: c.name }))]}
        allowDeselect={false}
        {...form.getInputProps("calendarId")}
      />
      {!agent && <PasswordInput label={t("admin.field.password")} description={t("admin.agents.passwordHint")} {...form.getInputProps("password")} />}
      {agent && <Checkbox label={t("admin.active")} {...form.getInputProps("active", { type: "checkbox" })} />}
      {agent?.active && !confirming && (
        <Button color="red" variant="light" w="fit-content" onClick={() => setConfirming(true)}>
          {t("admin.agents.deactivate")}
        </Button>
      )}
      {agent && confirming && (
        <Alert color="red" title={t("admin.agents.deactivate")}>
          <Text size="sm">{t("admin.agents.deactivateConfirm", { name: agent.name })}</Text>
          <Group mt="sm">
            <Button color="red" onClick={() => deactivate.mutate()} loading={deactivate.isPending}>
              {t("admin.agents.deactivateYes")}
            </Button>
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t("admin.cancel")}
            </Button>
          </Group>
        </Alert>
      )}
      <FormActions saving={save.isPending} onCancel={onDone} />
    </AdminForm>
  );
}

type LimitRow = { role: RoleLimit["role"]; type: RoleLimit["type"]; amount: number | string; currency: string };

/** The role defaults of the authority limits: what each role may grant without approval. PUT replaces them all. */
function RoleLimitsSection() {
  const { data: limits } = useSuspenseQuery(roleLimitsQuery());
  const qc = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm<{ limits: LimitRow[] }>({ initialValues: { limits: limits.map((l) => ({ ...l })) } });
  const save = useMutation({
    meta: { handlesProblem: true },
    mutationFn: (rows: LimitRow[]) => adminApi.setRoleLimits(rows.map((r) => ({ ...r, amount: typeof r.amount === "number" ? r.amount : Number.NaN }))),
    onSuccess: async (next) => {
      qc.setQueryData(roleLimitsQuery().queryKey, next);
      form.setValues({ limits: next.map((l) => ({ ...l })) });
      form.resetDirty();
      setProblem(null);
      setSaved(true);
    },
    onError: (err) => {
      setSaved(false);
      // The body is the array itself: the server names fields `0.amount`; the form holds them under `limits`.
      const errors: Record<string, string> = {};
      const other: string[] = [];
      for (const f of err instanceof ApiProblem ? err.fields : []) {
        if (/^\d+\./.test(f.field)) errors[`limits.${f.field}`] = f.message;
        else other.push(f.message);
      }
      form.setErrors(errors);
      setProblem(Object.keys(errors).length > 0 && other.length === 0 ? null : other.join("; ") || describeProblem(err).message);
    },
  });
  return (
    <section aria-labelledby="role-limits-title">
      <Title order={2} size="h4" mt="xl" id="role-limits-title">
        {t("admin.limits.title")}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t("admin.limits.intro")}
      </Text>
      <form onSubmit={form.onSubmit((v) => save.mutate(v.limits))} noValidate>
        <Stack gap="xs">
          <FormProblem message={problem} />
          <Table.ScrollContainer minWidth={520} type="native">
            <Table aria-label={t("admin.limits.title")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("admin.field.role")}</Table.Th>
                  <Table.Th>{t("admin.limits.type")}</Table.Th>
                  <Table.Th>{t("admin.limits.amount")}</Table.Th>
                  <Table.Th>{t("admin.limits.currency")}</Table.Th>
                  <Table.Th>{t("admin.actions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {form.values.limits.map((_, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>
                      <Select
                        aria-label={t("admin.limits.roleOf", { n: i + 1 })}
                        data={ROLES.map((r) => ({ value: r, label: t(`admin.role.${r}`) }))}
                        allowDeselect={false}
                        {...form.getInputProps(`limits.${i}.role`)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={t("admin.limits.typeOf", { n: i + 1 })}
                        data={RESOLUTION_TYPES.map((r) => ({ value: r, label: t(`admin.resolution.${r}`) }))}
                        allowDeselect={false}
                        {...form.getInputProps(`limits.${i}.type`)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <NumberInput aria-label={t("admin.limits.amountOf", { n: i + 1 })} min={0} decimalScale={2} {...form.getInputProps(`limits.${i}.amount`)} />
                    </Table.Td>
                    <Table.Td>
                      <TextInput aria-label={t("admin.limits.currencyOf", { n: i + 1 })} w={90} {...form.getInputProps(`limits.${i}.currency`)} />
                    </Table.Td>
                    <Table.Td>
                      <ActionIcon variant="subtle" color="red" aria-label={t("admin.limits.remove", { n: i + 1 })} onClick={() => form.removeListItem("limits", i)}>
                        ✕
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group>
            <Button variant="default" onClick={() => form.insertListItem("limits", { role: "agent", type: "refund", amount: 0, currency: "EUR" })}>
              {t("admin.limits.add")}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t("admin.limits.save")}
            </Button>
            {saved && !form.isDirty() && (
              <Text size="sm" role="status">
                {t("admin.saved")}
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </section>
  );
}
