import { Alert, Button, Group, List, Modal, NativeSelect, Radio, Stack, Text, Textarea, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import {
  directoryQuery,
  escalateTicket,
  escalationReasonsQuery,
  handoverMessagesQuery,
  invalidateAfterEscalation,
  previewEscalation,
  type EscalateBody,
  type EscalationPreview,
} from "../../api/escalations";
import { describeProblem } from "../../api/describe-problem";
import { ApiProblem } from "../../api/problem";
import type { Ticket } from "../../api/types";
import { t, type MessageKey } from "../../i18n";
import { formatDue, formatDuration } from "./format";
import { notifyDone } from "./notify";
import { handoverSummary } from "./handover";

type Values = { kind: "hierarchical" | "functional"; toTeamId: string; toAgentId: string; reason: string; note: string };

/** The form's values as the API's body: empty choices left out ("next level", nobody in particular). */
export function escalateBody(v: Values): EscalateBody {
  return {
    kind: v.kind,
    reason: v.reason as EscalateBody["reason"],
    note: v.note,
    ...(v.toTeamId ? { toTeamId: v.toTeamId } : {}),
    ...(v.toAgentId ? { toAgentId: v.toAgentId } : {}),
  };
}

/**
 * Escalating in two steps: the choices and the handover note (prefilled with what was tried), then the
 * server's dry run of exactly that escalation — where it lands, the SLA that follows, the timers and rules —
 * before it is confirmed. Enter submits each step, Escape closes; focus moves to the step's first control.
 */
export function EscalateDialog({ ticket, opened, onClose }: { ticket: Ticket; opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const directory = useQuery({ ...directoryQuery(), enabled: opened });
  const reasons = useQuery({ ...escalationReasonsQuery(), enabled: opened });
  const messages = useQuery({ ...handoverMessagesQuery(ticket.id), enabled: opened });
  const [preview, setPreview] = useState<{ body: EscalateBody; result: EscalationPreview } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const kindRef = useRef<HTMLInputElement>(null);

  const form = useForm<Values>({
    initialValues: { kind: "hierarchical", toTeamId: "", toAgentId: "", reason: "needs_expertise", note: "" },
  });

  // Prefill the handover once the messages are there, unless the agent has started writing.
  useEffect(() => {
    if (opened && messages.data && form.getValues().note === "") form.setFieldValue("note", handoverSummary(ticket, messages.data));
  }, [opened, messages.data]);

  useEffect(() => {
    if (preview) confirmRef.current?.focus();
    else if (opened) kindRef.current?.focus();
  }, [preview, opened]);

  const showProblem = (err: unknown) => {
    if (err instanceof ApiProblem && err.fields.length > 0) {
      form.setErrors(err.fieldErrors());
      setProblem(null);
    } else setProblem(describeProblem(err).message);
  };

  const previewMutation = useMutation({
    mutationFn: (body: EscalateBody) => previewEscalation(ticket.id, body).then((result) => ({ body, result })),
    meta: { handlesProblem: true },
    onMutate: () => setProblem(null),
    onSuccess: setPreview,
    onError: showProblem,
  });
  const escalateMutation = useMutation({
    mutationFn: (body: EscalateBody) => escalateTicket(ticket.id, body),
    meta: { handlesProblem: true },
    onSuccess: async () => {
      const to = preview?.result.to;
      close();
      notifyDone(t("escalation.escalate.done", { team: to?.team.name ?? "", level: to?.level.name ?? "" }));
      await invalidateAfterEscalation(queryClient, ticket);
    },
    onError: (err) => {
      // The ticket changed since the preview: show the refusal and go back to the choices.
      setPreview(null);
      showProblem(err);
    },
  });

  function close() {
    setPreview(null);
    setProblem(null);
    form.reset();
    onClose();
  }

  const values = form.getValues();
  const dir = directory.data;
  const currentRank = dir?.levels.get(ticket.levelId)?.rank ?? 0;
  const teams = [...(dir?.teams.values() ?? [])]
    .filter((team) => team.id !== ticket.teamId)
    .filter((team) => (values.kind === "functional" ? team.kind === "specialist" : (dir?.levels.get(team.levelId)?.rank ?? 0) > currentRank))
    .sort((a, b) => (dir!.levels.get(a.levelId)!.rank - dir!.levels.get(b.levelId)!.rank) || a.name.localeCompare(b.name));
  const teamOptions = [
    values.kind === "hierarchical" ? { value: "", label: t("escalation.escalate.nextLevel") } : { value: "", label: t("escalation.escalate.chooseTeam"), disabled: true },
    ...teams.map((team) => ({ value: team.id, label: `${team.name} (${dir?.levels.get(team.levelId)?.name ?? ""})` })),
  ];
  const agentOptions = values.toTeamId
    ? [
        { value: "", label: t("escalation.escalate.anyAgent") },
        ...[...(dir?.agents.values() ?? [])].filter((a) => a.active && a.teamIds.includes(values.toTeamId)).map((a) => ({ value: a.id, label: a.name })),
      ]
    : [];

  return (
    <Modal closeButtonProps={{ "aria-label": t("escalation.close") }} opened={opened} onClose={close} title={t("escalation.escalate.title", { number: ticket.number })} size="lg" trapFocus returnFocus>
      {preview ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            escalateMutation.mutate(preview.body);
          }}
        >
          <Stack gap="sm">
            <PreviewSummary preview={preview.result} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setPreview(null)}>
                {t("escalation.escalate.back")}
              </Button>
              <Button type="submit" ref={confirmRef} loading={escalateMutation.isPending}>
                {t("escalation.escalate.confirm")}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <form onSubmit={form.onSubmit((v) => previewMutation.mutate(escalateBody(v)))}>
          <Stack gap="sm">
            {problem && (
              <Alert color="red" role="alert" title={t("problem.title")}>
                {problem}
              </Alert>
            )}
            <Radio.Group
              label={t("escalation.escalate.kind")}
              {...form.getInputProps("kind")}
              onChange={(kind) => {
                form.setFieldValue("kind", kind as Values["kind"]);
                form.setFieldValue("toTeamId", "");
                form.setFieldValue("toAgentId", "");
              }}
            >
              <Stack gap={6} mt={4}>
                <Radio value="hierarchical" label={t("escalation.kind.hierarchical.choice")} ref={values.kind === "hierarchical" ? kindRef : undefined} data-autofocus={values.kind === "hierarchical" || undefined} />
                <Radio value="functional" label={t("escalation.kind.functional.choice")} ref={values.kind === "functional" ? kindRef : undefined} data-autofocus={values.kind === "functional" || undefined} />
              </Stack>
            </Radio.Group>
            <NativeSelect
              label={t("escalation.escalate.target")}
              data={teamOptions}
              {...form.getInputProps("toTeamId")}
              onChange={(e) => {
                form.setFieldValue("toTeamId", e.currentTarget.value);
                form.setFieldValue("toAgentId", "");
              }}
            />
            {agentOptions.length > 1 && <NativeSelect label={t("escalation.escalate.agent")} data={agentOptions} {...form.getInputProps("toAgentId")} />}
            <NativeSelect
              label={t("escalation.escalate.reason")}
              data={(reasons.data ?? []).map((r) => ({ value: r.code, label: r.label }))}
              description={reasons.data?.find((r) => r.code === values.reason)?.description}
              {...form.getInputProps("reason")}
            />
            <Textarea label={t("escalation.escalate.note")} description={t("escalation.escalate.noteHint")} autosize minRows={6} maxRows={14} {...form.getInputProps("note")} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t("escalation.cancel")}
              </Button>
              <Button type="submit" loading={previewMutation.isPending}>
                {t("escalation.escalate.preview")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

const TIMER_LABELS: Record<string, MessageKey> = {
  ack: "escalation.preview.timer.ack",
  warning: "escalation.preview.timer.warning",
  escalate: "escalation.preview.timer.escalate",
  breach: "escalation.preview.timer.breach",
  rule: "escalation.preview.timer.rule",
  approval: "escalation.preview.timer.approval",
};
const metricLabel = (metric: string | null) => (metric ? t(`escalation.metric.${metric}` as MessageKey) : "");

/** What the dry run answered, in sentences: destination, SLA, timers, rules. */
function PreviewSummary({ preview: p }: { preview: EscalationPreview }) {
  return (
    <Stack gap="xs" aria-label={t("escalation.preview.title")} role="region">
      <Title order={3} size="h5">
        {t("escalation.preview.title")}
      </Title>
      <Text>
        {t("escalation.preview.goesTo", { level: p.to.level.name, team: p.to.team.name })}
        {p.to.agent ? t("escalation.preview.agent", { agent: p.to.agent.name }) : t("escalation.preview.noAgent")}
      </Text>
      {p.why && <Text size="sm" c="dimmed">{t("escalation.preview.why", { why: p.why })}</Text>}
      {p.supersedesEscalationId && <Text size="sm">{t("escalation.preview.supersedes")}</Text>}
      <Text>
        {p.slaPolicy.to
          ? p.slaPolicy.from?.id === p.slaPolicy.to.id
            ? t("escalation.preview.policySame", { policy: p.slaPolicy.to.name })
            : t("escalation.preview.policyChanges", { policy: p.slaPolicy.to.name })
          : t("escalation.preview.noPolicy")}
      </Text>
      {p.clocks.length > 0 && (
        <List size="sm" aria-label={t("escalation.preview.clocks")}>
          {p.clocks.map((c) => (
            <List.Item key={c.metric}>
              {c.dueAt
                ? t("escalation.preview.clockDue", { metric: metricLabel(c.metric), due: formatDue(c.dueAt), target: formatDuration(c.targetMs) })
                : t("escalation.preview.clockPaused", { metric: metricLabel(c.metric) })}
            </List.Item>
          ))}
        </List>
      )}
      <Text fw={500} size="sm">
        {t("escalation.preview.timers")}
      </Text>
      {p.timers.length === 0 ? (
        <Text size="sm">{t("escalation.preview.noTimers")}</Text>
      ) : (
        <List size="sm" aria-label={t("escalation.preview.timers")}>
          {p.timers.map((x) => (
            <List.Item key={x.stepKey + x.dueAt}>
              {t(TIMER_LABELS[x.type] ?? "escalation.preview.timer.other", { metric: metricLabel(x.metric), rule: x.ruleName ?? "", due: formatDue(x.dueAt) })}
            </List.Item>
          ))}
        </List>
      )}
      <Text size="sm">
        {p.rulesFired.length === 0 ? t("escalation.preview.noRules") : t("escalation.preview.rules", { rules: p.rulesFired.map((r) => r.name).join(", ") })}
      </Text>
    </Stack>
  );
}
