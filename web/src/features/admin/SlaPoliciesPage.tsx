import { Button, Checkbox, Group, MultiSelect, NumberInput, Select, Table, TagsInput, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useSuspenseQuery } from "@tanstack/react-query";
import { adminApi, calendarsQuery, slaPoliciesQuery, teamsQuery, type Calendar, type CreateSlaPolicyInput, type SlaPolicy, type Team } from "../../api/admin";
import { t, type MessageKey } from "../../i18n";
import { AdminForm, AdminHeader, AdminList, announceRemoved, EditButton, FormActions, parseJson, SelectedDialog, StatusBadge, useRemoveItem, useSaveItem, useSelectedItem } from "./admin-form";
import { CHANNELS, PRIORITIES, TIERS, STATUSES, optionsOf } from "./vocabulary";

const METRICS = ["first_response", "next_response", "periodic_update", "resolution"] as const;
const PAUSABLE = STATUSES.filter((s) => s !== "resolved" && s !== "closed");

const STEPS_EXAMPLE = `[
  { "type": "warning", "metric": "resolution", "atPercent": 80 },
  { "type": "escalate", "metric": "resolution", "after": "PT0S", "to": { "kind": "next_level" } }
]`;

/** What a policy applies to, in words ("urgent, high · vip"), or "every ticket". */
function describeConditions(c: SlaPolicy["conditions"], teams: Team[]): string {
  const parts = [
    c.priorities?.map((p) => t(`admin.priority.${p}` as MessageKey)).join(", "),
    c.customerTiers?.join(", "),
    c.categories?.join(", "),
    c.channels?.join(", "),
    c.teamIds?.map((id) => teams.find((tm) => tm.id === id)?.name ?? "?").join(", "),
  ].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(" · ") : t("admin.sla.everyTicket");
}

/** SLA policies in matching order: conditions, targets per metric and priority, steps, calendar; retire or delete. */
export function SlaPoliciesPage() {
  const { data: policies } = useSuspenseQuery(slaPoliciesQuery());
  const { data: teams } = useSuspenseQuery(teamsQuery());
  const { data: calendars } = useSuspenseQuery(calendarsQuery());
  const selection = useSelectedItem(policies);
  const { select } = selection;
  return (
    <>
      <AdminHeader title="admin.sla.title" intro="admin.sla.intro" newLabel="admin.sla.new" onNew={() => select("new")} />
      <AdminList
        label={t("admin.sla.title")}
        minWidth={760}
        columns={["admin.field.position", "admin.field.name", "admin.sla.appliesTo", "admin.sla.targets", "admin.field.calendar", "admin.field.status"]}
        items={policies}
        cells={(p) => (
          <>
            <Table.Td>{p.position}</Table.Td>
            <Table.Td>{p.name}</Table.Td>
            <Table.Td>
              <Text size="xs">{describeConditions(p.conditions, teams)}</Text>
            </Table.Td>
            <Table.Td>
              <Text size="xs">
                {METRICS.filter((m) => p.targets[m])
                  .map((m) => `${t(`admin.metric.${m}` as MessageKey)}: ${Object.entries(p.targets[m] ?? {}).map(([pr, d]) => `${pr} ${d}`).join(", ")}`)
                  .join(" · ")}
              </Text>
            </Table.Td>
            <Table.Td>{calendars.find((c) => c.id === p.calendarId)?.name ?? t("admin.sla.allHours")}</Table.Td>
            <Table.Td>
              <StatusBadge active={p.active} off="admin.retired" />
            </Table.Td>
          </>
        )}
        actions={(p) => <EditButton name={p.name} onClick={() => select(p.id)} />}
      />
      <SelectedDialog selection={selection} newTitle="admin.sla.new" editTitle="admin.sla.edit" size="xl">
        {(editing) => <SlaPolicyForm key={selection.selected} policy={editing} teams={teams} calendars={calendars} onDone={selection.close} />}
      </SelectedDialog>
    </>
  );
}

type Targets = Record<(typeof METRICS)[number], Record<(typeof PRIORITIES)[number], string>>;

function SlaPolicyForm({ policy, teams, calendars, onDone }: { policy: SlaPolicy | undefined; teams: Team[]; calendars: Calendar[]; onDone: () => void }) {
  const form = useForm({
    initialValues: {
      name: policy?.name ?? "",
      position: policy?.position ?? 100,
      active: policy?.active ?? true,
      conditions: {
        priorities: policy?.conditions.priorities ?? [],
        customerTiers: policy?.conditions.customerTiers ?? [],
        categories: policy?.conditions.categories ?? [],
        channels: policy?.conditions.channels ?? [],
        teamIds: policy?.conditions.teamIds ?? [],
      },
      calendarId: policy?.calendarId ?? "",
      pauseStatuses: policy?.pauseStatuses ?? ["pending", "on_hold"],
      targets: Object.fromEntries(METRICS.map((m) => [m, Object.fromEntries(PRIORITIES.map((p) => [p, policy?.targets[m]?.[p] ?? ""]))])) as Targets,
      steps: policy ? JSON.stringify(policy.steps, null, 2) : "[]",
      ackTimeout: policy?.ackTimeout ?? "",
      resolutionCountsAsResponse: policy?.resolutionCountsAsResponse ?? false,
    },
  });
  const { save, problem } = useSaveItem(form, {
    list: "sla-policies",
    fields: [
      "name", "position", "active", "calendarId", "pauseStatuses", "steps", "ackTimeout", "resolutionCountsAsResponse", "conditions",
      ...["priorities", "customerTiers", "categories", "channels", "teamIds"].map((c) => `conditions.${c}`),
      ...METRICS.flatMap((m) => PRIORITIES.map((p) => `targets.${m}.${p}`)),
    ],
    mutationFn: (body: CreateSlaPolicyInput) => (policy ? adminApi.updateSlaPolicy(policy.id, body) : adminApi.createSlaPolicy(body)),
    onSaved: onDone,
  });
  const remove = useRemoveItem("sla-policies", () => adminApi.removeSlaPolicy(policy!.id), onDone, announceRemoved(policy?.name ?? ""));
  const submit = form.onSubmit((v) => {
    const steps = parseJson(v.steps);
    if (!steps.ok) return form.setFieldError("steps", steps.error);
    const conditions = Object.fromEntries(Object.entries(v.conditions).filter(([, list]) => list.length > 0));
    const targets = Object.fromEntries(
      METRICS.map((m) => [m, Object.fromEntries(PRIORITIES.filter((p) => v.targets[m][p].trim() !== "").map((p) => [p, v.targets[m][p].trim()]))]).filter(
        ([, per]) => Object.keys(per as object).length > 0,
      ),
    );
    save.mutate({
      name: v.name,
      position: v.position,
      active: v.active,
      conditions,
      calendarId: v.calendarId === "" ? null : v.calendarId,
      pauseStatuses: v.pauseStatuses as CreateSlaPolicyInput["pauseStatuses"],
      targets,
      steps: steps.value as CreateSlaPolicyInput["steps"],
      ackTimeout: v.ackTimeout.trim() === "" ? null : v.ackTimeout.trim(),
      resolutionCountsAsResponse: v.resolutionCountsAsResponse,
    });
  });
  return (
    <AdminForm onSubmit={submit} problem={problem}>
      <Group grow align="flex-start" wrap="wrap">
        <TextInput label={t("admin.field.name")} required miw={220} {...form.getInputProps("name")} />
        <NumberInput label={t("admin.field.position")} description={t("admin.sla.positionHint")} allowDecimal={false} min={0} miw={160} {...form.getInputProps("position")} />
      </Group>
      <Title order={3} size="h5">
        {t("admin.sla.appliesTo")}
      </Title>
      <Text size="xs" c="dimmed">
        {t("admin.sla.conditionsHint")}
      </Text>
      <Group grow align="flex-start" wrap="wrap">
        <MultiSelect miw={200} label={t("admin.field.priorities")} data={optionsOf(PRIORITIES, "admin.priority")} {...form.getInputProps("conditions.priorities")} />
        <MultiSelect miw={200} label={t("admin.field.tiers")} data={optionsOf(TIERS, "admin.tier")} {...form.getInputProps("conditions.customerTiers")} />
        <MultiSelect miw={200} label={t("admin.field.channels")} data={optionsOf(CHANNELS, "admin.channel")} {...form.getInputProps("conditions.channels")} />
      </Group>
      <Group grow align="flex-start" wrap="wrap">
        <MultiSelect miw={200} label={t("admin.field.teams")} data={teams.map((tm) => ({ value: tm.id, label: tm.name }))} {...form.getInputProps("conditions.teamIds")} />
        <TagsInput miw={200} label={t("admin.sla.categories")} {...form.getInputProps("conditions.categories")} />
      </Group>
      <Title order={3} size="h5">
        {t("admin.sla.targets")}
      </Title>
      <Text size="xs" c="dimmed">
        {t("admin.sla.targetsHint")}
      </Text>
      <Table.ScrollContainer minWidth={560} type="native">
        <Table aria-label={t("admin.sla.targets")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("admin.sla.metric")}</Table.Th>
              {PRIORITIES.map((p) => (
                <Table.Th key={p}>{t(`admin.priority.${p}` as MessageKey)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {METRICS.map((m) => (
              <Table.Tr key={m}>
                <Table.Th scope="row">{t(`admin.metric.${m}` as MessageKey)}</Table.Th>
                {PRIORITIES.map((p) => (
                  <Table.Td key={p}>
                    <TextInput
                      aria-label={t("admin.sla.targetFor", { metric: t(`admin.metric.${m}` as MessageKey), priority: t(`admin.priority.${p}` as MessageKey) })}
                      placeholder="PT4H"
                      size="xs"
                      {...form.getInputProps(`targets.${m}.${p}`)}
                    />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group grow align="flex-start" wrap="wrap">
        <Select
          miw={200}
          label={t("admin.field.calendar")}
          data={[{ value: "", label: t("admin.sla.allHours") }, ...calendars.map((c) => ({ value: c.id, label: c.name }))]}
          allowDeselect={false}
          {...form.getInputProps("calendarId")}
        />
        <MultiSelect miw={200} label={t("admin.sla.pauseStatuses")} data={optionsOf(PAUSABLE, "admin.status")} {...form.getInputProps("pauseStatuses")} />
        <TextInput miw={200} label={t("admin.sla.ackTimeout")} description={t("admin.sla.ackTimeoutHint")} placeholder="PT1H" {...form.getInputProps("ackTimeout")} />
      </Group>
      <Textarea
        label={t("admin.sla.steps")}
        description={t("admin.sla.stepsHint")}
        placeholder={STEPS_EXAMPLE}
        autosize
        minRows={4}
        styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
        {...form.getInputProps("steps")}
      />
      <Checkbox label={t("admin.sla.resolutionCounts")} {...form.getInputProps("resolutionCountsAsResponse", { type: "checkbox" })} />
      <Checkbox label={t("admin.active")} {...form.getInputProps("active", { type: "checkbox" })} />
      {policy && (
        <Button color="red" variant="light" w="fit-content" onClick={() => remove.mutate()} loading={remove.isPending}>
          {t("admin.removePolicy")}
        </Button>
      )}
      <FormActions saving={save.isPending} onCancel={onDone} />
    </AdminForm>
  );
}
