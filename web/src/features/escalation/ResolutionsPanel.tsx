import { Alert, Button, Group, NativeSelect, NumberInput, Paper, Stack, Table, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { directoryQuery } from "../../api/escalations";
import { ApiProblem } from "../../api/problem";
import { createResolution, resolutionsQuery, type Resolution, type ResolutionBody, type ResolutionType } from "../../api/resolutions";
import type { Ticket } from "../../api/types";
import { t, type MessageKey } from "../../i18n";
import { namesOf } from "./EscalationPanel";
import { formatMoney, formatWhen } from "./format";
import { notifyDone } from "./notify";

const TYPES: ResolutionType[] = ["refund", "credit", "replacement", "goodwill"];

/** Where a resolution stands, in plain words: applied, waiting for a named approver, or denied and why. */
export function resolutionState(r: Resolution, approverName: (id: string) => string): { text: string; color: string } {
  if (r.status === "pending_approval") return { text: t("escalation.resolution.waiting", { approver: approverName(r.approval!.approverId) }), color: "inherit" };
  if (r.status === "denied") {
    const by = r.approval ? approverName(r.approval.approverId) : "";
    return { text: r.approval?.reason ? t("escalation.resolution.deniedWhy", { approver: by, reason: r.approval.reason }) : t("escalation.resolution.denied", { approver: by }), color: "red.9" };
  }
  if (r.approval) return { text: t("escalation.resolution.approved", { approver: approverName(r.approval.approverId) }), color: "teal.9" };
  return { text: t("escalation.resolution.applied"), color: "teal.9" };
}

/**
 * Refunds, credits, replacements and goodwill gestures on the ticket: the list with each one's approval
 * state, and a form to grant one. Above the agent's authority limit the server sends it for approval;
 * the list then says plainly who has to approve it.
 */
export function ResolutionsPanel({ ticket }: { ticket: Ticket }) {
  const queryClient = useQueryClient();
  const { data: list = [] } = useQuery(resolutionsQuery(ticket.id));
  const { data: dir } = useQuery(directoryQuery());
  const names = namesOf(dir);
  const form = useForm<{ type: ResolutionType; amount: number | string; currency: string; note: string }>({
    initialValues: { type: "refund", amount: "", currency: "EUR", note: "" },
  });
  const mutation = useMutation({
    mutationFn: (body: ResolutionBody) => createResolution(ticket.id, body),
    meta: { handlesProblem: true },
    onSuccess: async (r) => {
      form.reset();
      notifyDone(resolutionState(r, names.agent).text, r.status === "applied" ? "teal" : "orange");
      await queryClient.invalidateQueries({ queryKey: ["ticket", ticket.id] });
      await queryClient.invalidateQueries({ queryKey: ["approvals"] });
    },
    onError: (err) => {
      if (err instanceof ApiProblem && err.fields.length) form.setErrors(err.fieldErrors());
    },
  });
  const problem = mutation.error instanceof ApiProblem && mutation.error.fields.length === 0 ? mutation.error : null;

  return (
    <Paper component="section" aria-labelledby="resolutions-panel-title" withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4" id="resolutions-panel-title">
          {t("escalation.resolutions.title")}
        </Title>
        {list.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("escalation.resolutions.none")}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={320}>
            <Table aria-label={t("escalation.resolutions.title")} verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("escalation.resolution.what")}</Table.Th>
                  <Table.Th>{t("escalation.resolution.state")}</Table.Th>
                  <Table.Th>{t("escalation.resolution.requested")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((r) => {
                  const state = resolutionState(r, names.agent);
                  return (
                    <Table.Tr key={r.id}>
                      <Table.Td>
                        {t(`escalation.resolution.type.${r.type}` as MessageKey)} {formatMoney(r.amount, r.currency)}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={600} c={state.color}>
                          {state.text}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{t("escalation.byAt", { by: names.agent(r.requestedById), when: formatWhen(r.createdAt) })}</Text>
                        <Text size="xs" c="dimmed">
                          {r.note}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <form
          aria-label={t("escalation.resolution.grant")}
          onSubmit={form.onSubmit((v) => mutation.mutate({ type: v.type, amount: Number(v.amount), currency: v.currency, note: v.note }))}
        >
          <Stack gap="xs">
            {problem && (
              <Alert color="red" role="alert">
                {problem.detail}
              </Alert>
            )}
            <Group grow align="flex-start" wrap="wrap" gap="xs">
              <NativeSelect label={t("escalation.resolution.type")} data={TYPES.map((type) => ({ value: type, label: t(`escalation.resolution.type.${type}` as MessageKey) }))} {...form.getInputProps("type")} />
              <NumberInput label={t("escalation.resolution.amount")} min={0} decimalScale={2} {...form.getInputProps("amount")} />
              <TextInput label={t("escalation.resolution.currency")} maxLength={3} {...form.getInputProps("currency")} />
            </Group>
            <Textarea label={t("escalation.resolution.note")} autosize minRows={2} {...form.getInputProps("note")} />
            <Group justify="flex-end">
              <Button type="submit" loading={mutation.isPending}>
                {t("escalation.resolution.grant")}
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}
