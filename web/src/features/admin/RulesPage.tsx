import { Anchor, Button, Checkbox, Group, List, MultiSelect, NumberInput, Paper, Select, Stack, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useSuspenseQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { adminApi, evaluateTicket, rulesQuery, teamsQuery, type CreateRuleInput, type Evaluation, type Rule, type Team } from "../../api/admin";
import { describeProblem } from "../../api/describe-problem";
import { t } from "../../i18n";
import { AdminForm, AdminHeader, AdminList, announceRemoved, applyProblem, EditButton, FormActions, FormProblem, parseJson, SelectedDialog, StatusBadge, useRemoveItem, useSaveItem, useSelectedItem } from "./admin-form";
import { optionsOf, TRIGGERS } from "./vocabulary";

const CONDITIONS_EXAMPLE = `[
  { "field": "priority", "op": "in", "value": ["urgent"] },
  { "field": "text", "op": "contains_any", "value": ["lawyer", "legal action"] }
]`;
const ACTIONS_EXAMPLE = `[
  { "type": "escalate", "kind": "hierarchical", "reason": "legal_risk" },
  { "type": "notify", "role": "manager" }
]`;

type Action = Record<string, unknown>;

/** One action of a rule in words: "Escalate (functional) to Billing, reason needs_expertise". */
export function describeAction(a: Action, teams: Team[]): string {
  const team = (id: unknown) => teams.find((tm) => tm.id === id)?.name ?? t("admin.rules.unknownTeam");
  switch (a.type) {
    case "route":
      return t(a.assign ? "admin.action.routeAssign" : "admin.action.route", { team: team(a.teamId) });
    case "set_priority":
      return t("admin.action.setPriority", { priority: String(a.priority) });
    case "add_tags":
      return t("admin.action.addTags", { tags: ((a.tags as string[] | undefined) ?? []).join(", ") });
    case "escalate":
      return t(a.teamId ? "admin.action.escalateTo" : "admin.action.escalateNext", { kind: String(a.kind), team: team(a.teamId), reason: String(a.reason) });
    case "notify":
      return t("admin.action.notify", { role: String(a.role) });
    case "require_ack":
      return t("admin.action.requireAck", { within: String(a.within) });
    default:
      return JSON.stringify(a);
  }
}

/** One condition in words: "priority in urgent, high". */
const describeCondition = (c: Record<string, unknown>) =>
  `${String(c.field)} ${String(c.op).replace("_", " ")} ${Array.isArray(c.value) ? c.value.join(", ") : String(c.value)}`;

/** The escalation matrix in evaluation order, its forms, and a dry run on a ticket. */
export function RulesPage() {
  const { data: rules } = useSuspenseQuery(rulesQuery());
  const { data: teams } = useSuspenseQuery(teamsQuery());
  const selection = useSelectedItem(rules);
  const { select } = selection;
  return (
    <>
      <AdminHeader title="admin.rules.title" intro="admin.rules.intro" newLabel="admin.rules.new" onNew={() => select("new")} />
      <AdminList
        label={t("admin.rules.title")}
        minWidth={820}
        columns={["admin.field.position", "admin.field.name", "admin.rules.triggers", "admin.rules.conditions", "admin.rules.actions", "admin.field.status"]}
        items={rules}
        cells={(r) => (
          <>
            <Table.Td>{r.position}</Table.Td>
            <Table.Td>{r.name}</Table.Td>
            <Table.Td>
              <Text size="xs">{r.triggers.join(", ")}</Text>
            </Table.Td>
            <Table.Td>
              <Text size="xs">
                {r.conditions.length === 0 ? t("admin.rules.always") : r.conditions.map(describeCondition).join(r.match === "all" ? t("admin.rules.and") : t("admin.rules.or"))}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="xs">{r.actions.map((a) => describeAction(a, teams)).join("; ")}</Text>
            </Table.Td>
            <Table.Td>
              <StatusBadge active={r.active} off="admin.retired" />
            </Table.Td>
          </>
        )}
        actions={(r) => <EditButton name={r.name} onClick={() => select(r.id)} />}
      />
      <DryRun teams={teams} onOpenRule={select} />
      <SelectedDialog selection={selection} newTitle="admin.rules.new" editTitle="admin.rules.edit" size="xl">
        {(editing) => <RuleForm key={selection.selected} rule={editing} onDone={selection.close} />}
      </SelectedDialog>
    </>
  );
}

/** Which active rules a ticket would fire now, and what they would do; nothing is written. */
function DryRun({ teams, onOpenRule }: { teams: Team[]; onOpenRule: (id: string) => void }) {
  const [result, setResult] = useState<Evaluation | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({ initialValues: { number: "" as number | string, trigger: "ticket.updated" as Evaluation["trigger"] } });
  const run = useMutation({
    meta: { handlesProblem: true },
    mutationFn: (v: typeof form.values) => evaluateTicket(Number(v.number), v.trigger),
    onSuccess: (r) => {
      setProblem(null);
      setResult(r);
    },
    onError: (err) => {
      setResult(null);
      setProblem(applyProblem(form, err, ["number", "trigger"]));
    },
  });
  return (
    <Paper withBorder p="md" mt="xl" component="section" aria-labelledby="dry-run-title">
      <Title order={2} size="h4" id="dry-run-title">
        {t("admin.dryRun.title")}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t("admin.dryRun.intro")}
      </Text>
      <form onSubmit={form.onSubmit((v) => run.mutate(v))} noValidate>
        <Group align="flex-start" gap="sm" wrap="wrap">
          <NumberInput label={t("admin.dryRun.ticket")} allowDecimal={false} min={1} w={160} hideControls {...form.getInputProps("number")} />
          <Select label={t("admin.dryRun.trigger")} data={optionsOf(TRIGGERS, "admin.trigger")} allowDeselect={false} w={220} {...form.getInputProps("trigger")} />
          <Button type="submit" mt={25} loading={run.isPending}>
            {t("admin.dryRun.run")}
          </Button>
        </Group>
      </form>
      <div aria-live="polite">
        <FormProblem message={problem} />
        {result && (
          <Stack gap="xs" mt="md" role="region" aria-label={t("admin.dryRun.result")}>
            <Text fw={500}>
              {result.matched.length === 0
                ? t("admin.dryRun.none", { number: result.ticket.number, subject: result.ticket.subject })
                : t("admin.dryRun.some", { number: result.ticket.number, subject: result.ticket.subject, n: result.matched.length })}
            </Text>
            <List spacing="xs">
              {result.matched.map((m) => (
                <List.Item key={m.ruleId}>
                  <Anchor component="button" type="button" onClick={() => onOpenRule(m.ruleId)} fw={500}>
                    {m.rule}
                  </Anchor>
                  {m.stopsProcessing && <Text span size="xs" c="dimmed">{` · ${t("admin.dryRun.stops")}`}</Text>}
                  <List size="sm" withPadding>
                    {m.actions.map((a, i) => (
                      <List.Item key={i}>{describeAction(a, teams)}</List.Item>
                    ))}
                  </List>
                  {m.keywords.length > 0 && (
                    <Text size="xs" c="dimmed">
                      {t("admin.dryRun.keywords", { list: m.keywords.map((k) => `“${k.keyword}” → “${k.matched}”`).join(", ") })}
                    </Text>
                  )}
                </List.Item>
              ))}
            </List>
            <Anchor component={Link} to={`/tickets/${result.ticket.number}`} size="sm">
              {t("admin.dryRun.openTicket", { number: result.ticket.number })}
            </Anchor>
          </Stack>
        )}
        {run.error && !problem && <Text c="red.8">{describeProblem(run.error).message}</Text>}
      </div>
    </Paper>
  );
}

function RuleForm({ rule, onDone }: { rule: Rule | undefined; onDone: () => void }) {
  const form = useForm({
    initialValues: {
      name: rule?.name ?? "",
      position: rule?.position ?? 100,
      active: rule?.active ?? true,
      triggers: rule?.triggers ?? ["ticket.created", "message.received", "ticket.updated"],
      match: rule?.match ?? ("all" as Rule["match"]),
      conditions: rule ? JSON.stringify(rule.conditions, null, 2) : "[]",
      actions: rule ? JSON.stringify(rule.actions, null, 2) : "",
      stopProcessing: rule?.stopProcessing ?? false,
      oncePerTicket: rule?.oncePerTicket ?? true,
    },
  });
  const { save, problem } = useSaveItem(form, {
    list: "rules",
    fields: ["name", "position", "active", "triggers", "match", "conditions", "actions", "stopProcessing", "oncePerTicket"],
    mutationFn: (body: CreateRuleInput) => (rule ? adminApi.updateRule(rule.id, body) : adminApi.createRule(body)),
    onSaved: onDone,
  });
  const remove = useRemoveItem("rules", () => adminApi.removeRule(rule!.id), onDone, announceRemoved(rule?.name ?? ""));
  const submit = form.onSubmit((v) => {
    const conditions = parseJson(v.conditions || "[]");
    const actions = parseJson(v.actions || "[]");
    if (!conditions.ok) form.setFieldError("conditions", conditions.error);
    if (!actions.ok) form.setFieldError("actions", actions.error);
    if (!conditions.ok || !actions.ok) return;
    save.mutate({
      name: v.name,
      position: v.position,
      active: v.active,
      triggers: v.triggers as CreateRuleInput["triggers"],
      match: v.match,
      conditions: conditions.value as CreateRuleInput["conditions"],
      actions: actions.value as CreateRuleInput["actions"],
      stopProcessing: v.stopProcessing,
      oncePerTicket: v.oncePerTicket,
    });
  });
  const mono = { input: { fontFamily: "var(--mantine-font-family-monospace)" } };
  return (
    <AdminForm onSubmit={submit} problem={problem}>
      <Group grow align="flex-start" wrap="wrap">
        <TextInput label={t("admin.field.name")} required miw={220} {...form.getInputProps("name")} />
        <NumberInput label={t("admin.field.position")} description={t("admin.rules.positionHint")} allowDecimal={false} min={0} miw={160} {...form.getInputProps("position")} />
      </Group>
      <Group grow align="flex-start" wrap="wrap">
        <MultiSelect miw={220} label={t("admin.rules.triggers")} data={optionsOf(TRIGGERS, "admin.trigger")} {...form.getInputProps("triggers")} />
        <Select
          miw={160}
          label={t("admin.rules.match")}
          data={[
            { value: "all", label: t("admin.rules.matchAll") },
            { value: "any", label: t("admin.rules.matchAny") },
          ]}
          allowDeselect={false}
          {...form.getInputProps("match")}
        />
      </Group>
      <Textarea label={t("admin.rules.conditions")} description={t("admin.rules.conditionsHint")} placeholder={CONDITIONS_EXAMPLE} autosize minRows={3} styles={mono} {...form.getInputProps("conditions")} />
      <Textarea label={t("admin.rules.actions")} description={t("admin.rules.actionsHint")} placeholder={ACTIONS_EXAMPLE} autosize minRows={3} styles={mono} {...form.getInputProps("actions")} />
      <Checkbox label={t("admin.rules.stopProcessing")} {...form.getInputProps("stopProcessing", { type: "checkbox" })} />
      <Checkbox label={t("admin.rules.oncePerTicket")} {...form.getInputProps("oncePerTicket", { type: "checkbox" })} />
      <Checkbox label={t("admin.active")} {...form.getInputProps("active", { type: "checkbox" })} />
      {rule && (
        <Button color="red" variant="light" w="fit-content" onClick={() => remove.mutate()} loading={remove.isPending}>
          {t("admin.removeRule")}
        </Button>
      )}
      <FormActions saving={save.isPending} onCancel={onDone} />
    </AdminForm>
  );
}
