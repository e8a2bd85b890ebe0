import { Badge, Button, Group, Modal, NativeSelect, Paper, Stack, Text, Textarea, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { directoryQuery, invalidateAfterEscalation } from "../../api/escalations";
import { acceptEscalationRequest, declineEscalationRequest, ticketEscalationRequestsQuery, type AcceptBody, type EscalationRequest } from "../../api/escalation-requests";
import { ApiProblem } from "../../api/problem";
import type { Ticket } from "../../api/types";
import { t, type MessageKey } from "../../i18n";
import { namesOf } from "./EscalationPanel";
import { formatWhen } from "./format";
import { notifyDone } from "./notify";

/**
 * The customer's requests to escalate this ticket: each with its reason, and for an open one Accept (to a
 * team or the next level up) or Decline (with a reason the customer reads). Nothing shows when there are none.
 */
export function EscalationRequestsPanel({ ticket }: { ticket: Ticket }) {
  const { data: list = [] } = useQuery(ticketEscalationRequestsQuery(ticket.id));
  const { data: dir } = useQuery(directoryQuery());
  const names = namesOf(dir);
  const [dialog, setDialog] = useState<{ request: EscalationRequest; action: "accept" | "decline" } | null>(null);
  if (list.length === 0) return null;

  return (
    <Paper component="section" aria-labelledby="escalation-requests-title" withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4" id="escalation-requests-title">
          {t("escalation.requests.title")}
        </Title>
        {[...list].reverse().map((r) => (
          <Stack key={r.id} gap={4} role="group" aria-label={t("escalation.requests.item", { when: formatWhen(r.createdAt) })}>
            <Group gap="xs">
              <Badge color={r.status === "open" ? "red.9" : r.status === "accepted" ? "teal.9" : "dark.6"} variant="filled">
                {t(`escalation.requests.status.${r.status}` as MessageKey)}
              </Badge>
              <Text size="xs" c="dimmed">
                {formatWhen(r.createdAt)}
              </Text>
            </Group>
            <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
              {r.reason}
            </Text>
            {r.status !== "open" && (
              <Text size="sm" c="dimmed">
                {t("escalation.requests.answered", { by: names.agent(r.decidedById), when: formatWhen(r.decidedAt) })}
                {r.answer ? `: ${r.answer}` : ""}
              </Text>
            )}
            {r.status === "open" && (
              <Group gap="xs">
                <Button size="xs" onClick={() => setDialog({ request: r, action: "accept" })}>
                  {t("escalation.requests.accept")}
                </Button>
                <Button size="xs" variant="default" onClick={() => setDialog({ request: r, action: "decline" })}>
                  {t("escalation.requests.decline")}
                </Button>
              </Group>
            )}
          </Stack>
        ))}
      </Stack>
      {dialog?.action === "accept" && <AcceptDialog ticket={ticket} request={dialog.request} onClose={() => setDialog(null)} />}
      {dialog?.action === "decline" && <DeclineDialog ticket={ticket} request={dialog.request} onClose={() => setDialog(null)} />}
    </Paper>
  );
}

function AcceptDialog({ ticket, request, onClose }: { ticket: Ticket; request: EscalationRequest; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { data: dir } = useQuery(directoryQuery());
  const form = useForm({ initialValues: { toTeamId: "", note: "" } });
  const rank = dir?.levels.get(ticket.levelId)?.rank ?? 0;
  // The API takes a team on a higher level or a specialist team; by default the next level up.
  const teams = [...(dir?.teams.values() ?? [])]
    .filter((team) => team.id !== ticket.teamId && (team.kind === "specialist" || (dir?.levels.get(team.levelId)?.rank ?? 0) > rank))
    .sort((a, b) => a.name.localeCompare(b.name));
  const mutation = useMutation({
    mutationFn: (body: AcceptBody) => acceptEscalationRequest(request.id, body),
    meta: { handlesProblem: true },
    onSuccess: async () => {
      onClose();
      notifyDone(t("escalation.requests.accepted"));
      await invalidateAfterEscalation(queryClient, ticket);
    },
    onError: (err) => {
      if (err instanceof ApiProblem) form.setErrors(err.fields.length ? err.fieldErrors() : { toTeamId: err.detail });
    },
  });
  return (
    <Modal closeButtonProps={{ "aria-label": t("escalation.close") }} opened onClose={onClose} title={t("escalation.requests.acceptTitle", { number: ticket.number })}>
      <form onSubmit={form.onSubmit((v) => mutation.mutate({ ...(v.toTeamId ? { toTeamId: v.toTeamId } : {}), ...(v.note.trim() ? { note: v.note } : {}) }))}>
        <Stack gap="sm">
          <NativeSelect
            label={t("escalation.escalate.target")}
            data={[{ value: "", label: t("escalation.escalate.nextLevel") }, ...teams.map((team) => ({ value: team.id, label: `${team.name} (${dir?.levels.get(team.levelId)?.name ?? ""})` }))]}
            data-autofocus
            {...form.getInputProps("toTeamId")}
          />
          <Textarea label={t("escalation.requests.answer")} description={t("escalation.requests.answerHint")} autosize minRows={3} {...form.getInputProps("note")} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("escalation.cancel")}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t("escalation.requests.acceptSubmit")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeclineDialog({ ticket, request, onClose }: { ticket: Ticket; request: EscalationRequest; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm({ initialValues: { reason: "" } });
  const mutation = useMutation({
    mutationFn: (reason: string) => declineEscalationRequest(request.id, reason),
    meta: { handlesProblem: true },
    onSuccess: async () => {
      onClose();
      notifyDone(t("escalation.requests.declined"));
      await queryClient.invalidateQueries({ queryKey: ["ticket", ticket.id] });
    },
    onError: (err) => {
      if (err instanceof ApiProblem) form.setErrors(err.fields.length ? err.fieldErrors() : { reason: err.detail });
    },
  });
  return (
    <Modal closeButtonProps={{ "aria-label": t("escalation.close") }} opened onClose={onClose} title={t("escalation.requests.declineTitle", { number: ticket.number })}>
      <form onSubmit={form.onSubmit((v) => mutation.mutate(v.reason))}>
        <Stack gap="sm">
          <Textarea label={t("escalation.requests.declineReason")} description={t("escalation.requests.declineHint")} autosize minRows={3} data-autofocus {...form.getInputProps("reason")} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("escalation.cancel")}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t("escalation.requests.declineSubmit")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
