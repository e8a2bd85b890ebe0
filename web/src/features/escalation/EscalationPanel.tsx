import { Badge, Button, Group, Modal, NativeSelect, Paper, Stack, Text, Textarea, Timeline, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  acknowledgeEscalation,
  deEscalateTicket,
  directoryQuery,
  escalationReasonsQuery,
  escalationsQuery,
  invalidateAfterEscalation,
  type DeEscalateBody,
  type Directory,
} from "../../api/escalations";
import { ApiProblem } from "../../api/problem";
import { sessionQuery } from "../../api/session";
import type { Escalation, Ticket } from "../../api/types";
import { t, type MessageKey } from "../../i18n";
import { useShortcuts } from "../../ui/shortcuts";
import { EscalateDialog } from "./EscalateDialog";
import { formatWhen } from "./format";
import { notifyDone } from "./notify";

const FINISHED = new Set<Ticket["status"]>(["resolved", "closed"]);

/** Names for ids, with a neutral word while the directory loads or for someone deleted. */
export function namesOf(dir: Directory | undefined) {
  return {
    level: (id: string | null) => (id ? (dir?.levels.get(id)?.name ?? "…") : ""),
    team: (id: string | null) => (id ? (dir?.teams.get(id)?.name ?? "…") : ""),
    agent: (id: string | null) => (id ? (dir?.agents.get(id)?.name ?? t("escalation.someone")) : t("escalation.system")),
  };
}

/**
 * The ticket's escalation: the active one as a record (kind, from → to, reason, handover note, who asked and
 * who took it over, when), every earlier one, and the actions — Escalate (`e`), Acknowledge (`a`),
 * De-escalate. Whether the person may acknowledge or hand back is the API's decision; a refusal is shown
 * by the app's one problem handler.
 */
export function EscalationPanel({ ticket }: { ticket: Ticket }) {
  const queryClient = useQueryClient();
  const { data: user } = useQuery(sessionQuery());
  const { data: list = [] } = useQuery(escalationsQuery(ticket.id));
  const { data: dir } = useQuery(directoryQuery());
  const { data: reasons } = useQuery(escalationReasonsQuery());
  const [escalateOpened, escalateDialog] = useDisclosure(false);
  const [deEscalateOpened, deEscalateDialog] = useDisclosure(false);
  const names = namesOf(dir);
  const reasonLabel = (code: Escalation["reason"]) => reasons?.find((r) => r.code === code)?.label ?? code;

  const active = [...list].reverse().find((e) => e.status !== "closed");
  const earlier = [...list].reverse().filter((e) => e !== active);
  const isStaff = user?.kind === "agent";
  const canEscalate = isStaff && !FINISHED.has(ticket.status);
  const canAcknowledge = isStaff && active !== undefined && active.acknowledgedAt === null;

  const acknowledge = useMutation({
    mutationFn: (id: string) => acknowledgeEscalation(id),
    onSuccess: async () => {
      notifyDone(t("escalation.acknowledge.done"));
      await invalidateAfterEscalation(queryClient, ticket);
    },
  });

  useShortcuts([
    { keys: "e", label: "escalation.shortcut.escalate", run: escalateDialog.open, enabled: canEscalate },
    { keys: "a", label: "escalation.shortcut.acknowledge", run: () => active && acknowledge.mutate(active.id), enabled: canAcknowledge },
  ]);

  return (
    <Paper component="section" aria-labelledby="escalation-panel-title" withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={2} size="h4" id="escalation-panel-title">
            {t("escalation.panel.title")}
          </Title>
          <Group gap="xs">
            {canAcknowledge && (
              <Button size="xs" onClick={() => acknowledge.mutate(active.id)} loading={acknowledge.isPending}>
                {t("escalation.acknowledge")}
              </Button>
            )}
            {isStaff && active && (
              <Button size="xs" variant="default" onClick={deEscalateDialog.open}>
                {t("escalation.deEscalate")}
              </Button>
            )}
            {canEscalate && (
              <Button size="xs" variant={active ? "default" : "filled"} onClick={escalateDialog.open}>
                {t("escalation.escalate")}
              </Button>
            )}
          </Group>
        </Group>

        {active ? (
          <EscalationRecord escalation={active} names={names} reasonLabel={reasonLabel} />
        ) : (
          <Text size="sm" c="dimmed">
            {t("escalation.panel.none")}
          </Text>
        )}

        {earlier.length > 0 && (
          <>
            <Title order={3} size="h5">
              {t("escalation.history.title")}
            </Title>
            <Timeline bulletSize={14} lineWidth={2}>
              {earlier.map((e) => (
                <Timeline.Item key={e.id} title={t("escalation.history.item", { from: names.team(e.fromTeamId), to: names.team(e.toTeamId), kind: t(`escalation.kind.${e.kind}` as MessageKey) })}>
                  <Text size="sm">{reasonLabel(e.reason)}</Text>
                  <Text size="xs" c="dimmed">
                    {t("escalation.history.when", { when: formatWhen(e.requestedAt), by: names.agent(e.requestedById) })}
                    {e.outcome ? ` · ${t(`escalation.outcome.${e.outcome}` as MessageKey)}` : ""}
                  </Text>
                  {e.closingNote && <Text size="sm">{e.closingNote}</Text>}
                </Timeline.Item>
              ))}
            </Timeline>
          </>
        )}
      </Stack>
      <EscalateDialog ticket={ticket} opened={escalateOpened} onClose={escalateDialog.close} />
      {active && <DeEscalateDialog ticket={ticket} active={active} escalations={list} names={names} opened={deEscalateOpened} onClose={deEscalateDialog.close} />}
    </Paper>
  );
}

/** One escalation as a record: the facts a specialist needs before taking it over. */
function EscalationRecord({ escalation: e, names, reasonLabel }: { escalation: Escalation; names: ReturnType<typeof namesOf>; reasonLabel: (c: Escalation["reason"]) => string }) {
  const row = (label: MessageKey, value: React.ReactNode) => (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" fw={500} w={130} style={{ flexShrink: 0 }}>
        {t(label)}
      </Text>
      <Text size="sm" component="div" style={{ minWidth: 0 }}>
        {value}
      </Text>
    </Group>
  );
  return (
    <Stack gap={6} aria-label={t("escalation.active.label")} role="group">
      <Group gap="xs">
        <Badge color="blue.9" variant="filled">
          {t(`escalation.kind.${e.kind}` as MessageKey)}
        </Badge>
        <Badge color={e.acknowledgedAt ? "teal.9" : "red.9"} variant="filled">
          {e.acknowledgedAt ? t("escalation.status.acknowledged") : t("escalation.status.open")}
        </Badge>
      </Group>
      {row("escalation.field.route", t("escalation.route", { fromLevel: names.level(e.fromLevelId), fromTeam: names.team(e.fromTeamId), toLevel: names.level(e.toLevelId), toTeam: names.team(e.toTeamId) }))}
      {e.toAgentId && row("escalation.field.agent", names.agent(e.toAgentId))}
      {row("escalation.field.reason", reasonLabel(e.reason))}
      {row("escalation.field.requested", t("escalation.byAt", { by: names.agent(e.requestedById), when: formatWhen(e.requestedAt) }))}
      {row(
        "escalation.field.acknowledged",
        e.acknowledgedAt ? t("escalation.byAt", { by: names.agent(e.acknowledgedById), when: formatWhen(e.acknowledgedAt) }) : t("escalation.notAcknowledged"),
      )}
      <Text size="sm" fw={500}>
        {t("escalation.field.note")}
      </Text>
      <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }} p="xs" bg="var(--mantine-color-default-hover)">
        {e.note}
      </Text>
    </Stack>
  );
}

/** Handing the ticket back down: a note, and which earlier team (by default the one the escalation came from). */
function DeEscalateDialog({
  ticket,
  active,
  escalations,
  names,
  opened,
  onClose,
}: {
  ticket: Ticket;
  active: Escalation;
  escalations: Escalation[];
  names: ReturnType<typeof namesOf>;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm({ initialValues: { note: "", toTeamId: "" } });
  const earlierTeams = [...new Set(escalations.map((e) => e.fromTeamId))].filter((id) => id !== ticket.teamId && id !== active.fromTeamId);
  const mutation = useMutation({
    mutationFn: (body: DeEscalateBody) => deEscalateTicket(ticket.id, body),
    meta: { handlesProblem: true },
    onSuccess: async () => {
      form.reset();
      onClose();
      notifyDone(t("escalation.deEscalate.done"));
      await invalidateAfterEscalation(queryClient, ticket);
    },
    onError: (err) => {
      if (err instanceof ApiProblem) form.setErrors(err.fields.length ? err.fieldErrors() : { note: err.detail });
    },
  });
  return (
    <Modal closeButtonProps={{ "aria-label": t("escalation.close") }} opened={opened} onClose={onClose} title={t("escalation.deEscalate.title", { number: ticket.number })}>
      <form onSubmit={form.onSubmit((v) => mutation.mutate({ note: v.note, ...(v.toTeamId ? { toTeamId: v.toTeamId } : {}) }))}>
        <Stack gap="sm">
          <NativeSelect
            label={t("escalation.deEscalate.target")}
            data={[{ value: "", label: t("escalation.deEscalate.origin", { team: names.team(active.fromTeamId) }) }, ...earlierTeams.map((id) => ({ value: id, label: names.team(id) }))]}
            {...form.getInputProps("toTeamId")}
          />
          <Textarea label={t("escalation.deEscalate.note")} description={t("escalation.deEscalate.noteHint")} autosize minRows={4} data-autofocus {...form.getInputProps("note")} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("escalation.cancel")}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t("escalation.deEscalate.submit")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
