import { Anchor, Button, Group, Modal, SegmentedControl, Stack, Table, Text, Textarea, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { approvalsQuery, approvalTicketQuery, approve, deny, type Approval, type ApprovalStatus } from "../../api/approvals";
import { directoryQuery } from "../../api/escalations";
import { ApiProblem } from "../../api/problem";
import { t, type MessageKey } from "../../i18n";
import { namesOf } from "./EscalationPanel";
import { formatMoney, formatWhen } from "./format";
import { notifyDone } from "./notify";

const STATUSES: ApprovalStatus[] = ["pending", "approved", "denied"];

/**
 * The signed-in person's approval queue: resolutions above someone's authority limit waiting for them (or,
 * with the filter, those they decided). Approve, or Deny with a reason. The tab's live stream refreshes it
 * when approvals are requested or decided anywhere.
 */
export function ApprovalsPage() {
  const { status } = useSearch({ from: "/_staff/approvals" });
  const navigate = useNavigate({ from: "/approvals" });
  const { data: list, isPending } = useQuery(approvalsQuery(status));
  const { data: dir } = useQuery(directoryQuery());
  const names = namesOf(dir);
  const [denying, setDenying] = useState<Approval | null>(null);

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h3">
          {t("escalation.approvals.title")}
        </Title>
        <SegmentedControl
          aria-label={t("escalation.approvals.filter")}
          value={status}
          onChange={(v) => void navigate({ search: { status: v as ApprovalStatus } })}
          data={STATUSES.map((s) => ({ value: s, label: t(`escalation.approvals.status.${s}` as MessageKey) }))}
        />
      </Group>
      {isPending ? (
        <Text>{t("app.loading")}</Text>
      ) : list && list.length === 0 ? (
        <Text c="dimmed">{t(status === "pending" ? "escalation.approvals.emptyPending" : "escalation.approvals.empty")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={360}>
          <Table aria-label={t("escalation.approvals.title")} verticalSpacing="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("escalation.approvals.ticket")}</Table.Th>
                <Table.Th>{t("escalation.approvals.what")}</Table.Th>
                <Table.Th>{status === "pending" ? t("escalation.approvals.actions") : t("escalation.approvals.decision")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list ?? []).map((a) => (
                <ApprovalRow key={a.id} approval={a} names={names} onDeny={() => setDenying(a)} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {denying && <DenyDialog approval={denying} onClose={() => setDenying(null)} />}
    </Stack>
  );
}

function ApprovalRow({ approval: a, names, onDeny }: { approval: Approval; names: ReturnType<typeof namesOf>; onDeny: () => void }) {
  const queryClient = useQueryClient();
  const { data: ticket } = useQuery(approvalTicketQuery(a.ticketId));
  const approveMutation = useMutation({
    mutationFn: () => approve(a.id),
    onSuccess: async () => {
      notifyDone(t("escalation.approvals.approved"));
      await queryClient.invalidateQueries({ queryKey: ["approvals"] });
      await queryClient.invalidateQueries({ queryKey: ["ticket", a.ticketId] });
    },
  });
  const what = `${t(`escalation.resolution.type.${a.resolution.type}` as MessageKey)} ${formatMoney(a.resolution.amount, a.resolution.currency)}`;
  const label = ticket ? `#${ticket.number} ${ticket.subject}` : t("escalation.approvals.ticketHidden");
  return (
    <Table.Tr>
      <Table.Td>
        {ticket ? (
          <Anchor component={Link} to={`/tickets/${ticket.number}`}>
            {label}
          </Anchor>
        ) : (
          label
        )}
        <Text size="xs" c="dimmed">
          {t("escalation.approvals.requestedBy", { by: names.agent(a.resolution.requestedById), when: formatWhen(a.requestedAt) })}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={500}>
          {what}
        </Text>
        <Text size="sm" style={{ overflowWrap: "anywhere" }}>
          {a.resolution.note}
        </Text>
        {a.grantedBefore && a.grantedBefore.amount > 0 && (
          <Text size="xs" c="dimmed">
            {t("escalation.approvals.grantedBefore", { amount: formatMoney(a.grantedBefore.amount, a.grantedBefore.currency) })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {a.status === "pending" ? (
          <Group gap="xs">
            <Button size="xs" onClick={() => approveMutation.mutate()} loading={approveMutation.isPending} aria-label={t("escalation.approvals.approveOne", { what, ticket: label })}>
              {t("escalation.approvals.approve")}
            </Button>
            <Button size="xs" variant="default" color="red" onClick={onDeny} aria-label={t("escalation.approvals.denyOne", { what, ticket: label })}>
              {t("escalation.approvals.deny")}
            </Button>
          </Group>
        ) : (
          <Text size="sm">
            {t(`escalation.approvals.status.${a.status}` as MessageKey)} · {formatWhen(a.decidedAt)}
            {a.reason ? `: ${a.reason}` : ""}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function DenyDialog({ approval, onClose }: { approval: Approval; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm({ initialValues: { reason: "" }, validate: { reason: (v) => (v.trim() ? null : t("escalation.approvals.denyReasonNeeded")) } });
  const mutation = useMutation({
    mutationFn: (reason: string) => deny(approval.id, reason),
    meta: { handlesProblem: true },
    onSuccess: async () => {
      onClose();
      notifyDone(t("escalation.approvals.denied"));
      await queryClient.invalidateQueries({ queryKey: ["approvals"] });
      await queryClient.invalidateQueries({ queryKey: ["ticket", approval.ticketId] });
    },
    onError: (err) => {
      if (err instanceof ApiProblem) form.setErrors(err.fields.length ? err.fieldErrors() : { reason: err.detail });
    },
  });
  return (
    <Modal closeButtonProps={{ "aria-label": t("escalation.close") }} opened onClose={onClose} title={t("escalation.approvals.denyTitle")}>
      <form onSubmit={form.onSubmit((v) => mutation.mutate(v.reason))}>
        <Stack gap="sm">
          <Textarea label={t("escalation.approvals.denyReason")} autosize minRows={3} data-autofocus {...form.getInputProps("reason")} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("escalation.cancel")}
            </Button>
            <Button type="submit" color="red" loading={mutation.isPending}>
              {t("escalation.approvals.deny")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
