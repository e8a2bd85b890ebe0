import { Alert, Button, Card, Group, Modal, Paper, Stack, Text, Textarea, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiProblem } from "../../api/problem";
import { portalEscalationRequestsQuery, requestTicketEscalation } from "../../api/portal";
import type { CustomerTicket } from "../../api/types";
import { t } from "../../i18n";
import { escalationRefusal, plainStatus, requestAnswer, shortTime } from "./plain-status";

const TONE_COLOUR = { waiting: "blue", accepted: "green", declined: "orange" } as const;

/**
 * The customer's escalation requests with their answers (accepted, or declined with the lead's reason),
 * and the request form. The guardrail's refusal (too early, daily limit, one still waiting) is said plainly.
 */
export function EscalationRequestSection({ ticket }: { ticket: CustomerTicket }) {
  const queryClient = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const requests = useQuery(portalEscalationRequestsQuery(ticket.id));
  const form = useForm({ initialValues: { reason: "" } });
  const request = useMutation({
    mutationFn: (reason: string) => requestTicketEscalation(queryClient, ticket, reason),
    meta: { handlesProblem: true },
    onSuccess: () => {
      form.reset();
      close();
      setOutcome({ ok: true, text: t("portal.escalate.accepted") });
    },
    onError: (err) => {
      if (err instanceof ApiProblem && err.fields.length > 0) {
        form.setErrors(err.fieldErrors());
        return;
      }
      close();
      setOutcome({ ok: false, text: escalationRefusal(err) });
    },
  });
  const isOpen = plainStatus(ticket.status) !== "solved";
  const list = requests.data ?? [];
  if (!isOpen && list.length === 0) return null;
  return (
    <Card withBorder component="section" aria-labelledby="portal-escalation">
      <Stack gap="sm">
        <Title order={2} size="h4" id="portal-escalation">
          {t("portal.request.title")}
        </Title>
        {outcome && (
          <Alert color={outcome.ok ? "green" : "orange"} role={outcome.ok ? "status" : "alert"} withCloseButton onClose={() => setOutcome(null)} closeButtonLabel={t("portal.escalate.cancel")}>
            {outcome.text}
          </Alert>
        )}
        {list.map((r) => {
          const answer = requestAnswer(r);
          return (
            <Paper key={r.id} withBorder p="sm" radius="md" style={{ borderLeft: `4px solid var(--mantine-color-${TONE_COLOUR[answer.tone]}-filled)` }}>
              <Text size="xs" c="dimmed" component="time" dateTime={r.createdAt}>
                {shortTime(r.createdAt)}
              </Text>
              <Text size="sm">{answer.text}</Text>
              <Text size="xs" c="dimmed" mt={4}>
                {t("portal.request.yourReason", { reason: r.reason })}
              </Text>
            </Paper>
          );
        })}
        {isOpen && (
          <Group>
            <Button variant="outline" onClick={() => { request.reset(); open(); }}>
              {t("portal.escalate.open")}
            </Button>
          </Group>
        )}
      </Stack>
      <Modal opened={opened} onClose={close} title={t("portal.escalate.title")}>
        <form onSubmit={form.onSubmit((v) => request.mutate(v.reason.trim()))} noValidate>
          <Stack>
            <Text size="sm">{t("portal.escalate.intro")}</Text>
            <Textarea label={t("portal.escalate.reason")} autosize minRows={3} required data-autofocus {...form.getInputProps("reason")} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t("portal.escalate.cancel")}
              </Button>
              <Button type="submit" loading={request.isPending}>
                {t("portal.escalate.submit")}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Card>
  );
}
