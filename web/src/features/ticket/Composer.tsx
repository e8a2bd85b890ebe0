import { Alert, Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { forwardRef, useImperativeHandle, useRef, useState } from "react";
import { ApiProblem } from "../../api/problem";
import { notifyProblem } from "../../api/query-client";
import { cannedRepliesQuery, postMessage, renderCannedReply } from "../../api/tickets";
import type { Ticket, TicketEvent } from "../../api/types";
import { t } from "../../i18n";
import { eventSentence, type Names } from "./timeline-text";

export type ComposerMode = "public" | "internal";
export type ComposerHandle = { focus(mode: ComposerMode): void };

type Props = {
  ticket: Ticket;
  names: Names;
  /** The newest timeline event the agent has seen: sent as `expectedVersion`, so the server can warn. */
  seenVersion: number | undefined;
  /** The agent has reviewed the changes up to this event. */
  onReviewed: (version: number) => void;
  onTyping: () => void;
};

type Conflict = { changes: TicketEvent[]; currentVersion: number; body: string; kind: ComposerMode };

/**
 * Writes a reply or an internal note, with canned replies the server fills in for this ticket. A reply on a
 * ticket someone else changed meanwhile is refused by the server (409 `ticket_changed`); the agent then
 * reads what changed and sends anyway or reviews first.
 */
export const Composer = forwardRef<ComposerHandle, Props>(function Composer({ ticket, names, seenVersion, onReviewed, onTyping }, ref) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<ComposerMode>("public");
  const [body, setBody] = useState("");
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const canned = useQuery(cannedRepliesQuery());
  useImperativeHandle(ref, () => ({
    focus(next) {
      setMode(next);
      area.current?.focus();
    },
  }));

  const send = useMutation({
    meta: { handlesProblem: true },
    mutationFn: (v: { body: string; kind: ComposerMode; expectedVersion: number | undefined }) =>
      postMessage(queryClient, ticket, { body: v.body, kind: v.kind, ...(v.expectedVersion !== undefined ? { expectedVersion: v.expectedVersion } : {}) }),
    onSuccess: (_m, v) => {
      setBody("");
      setConflict(null);
      notifications.show({ color: "green", message: t(v.kind === "internal" ? "ticket.composer.noted" : "ticket.composer.sent") });
    },
    onError: (err, v) => {
      if (err instanceof ApiProblem && err.code === "ticket_changed") {
        setConflict({ changes: (err.body.changes as TicketEvent[]) ?? [], currentVersion: Number(err.body.currentVersion), body: v.body, kind: v.kind });
        return;
      }
      notifyProblem(err);
    },
  });

  const insertCanned = useMutation({
    mutationFn: (id: string) => renderCannedReply(id, ticket.id),
    onSuccess: (r) => {
      setBody((b) => (b.trim() ? `${b.replace(/\s+$/, "")}\n\n${r.body}` : r.body));
      area.current?.focus();
    },
  });

  const submit = () => {
    if (!body.trim()) return;
    send.mutate({ body, kind: mode, expectedVersion: seenVersion });
  };
  const isClosed = ticket.status === "closed";
  const label = t(mode === "internal" ? "ticket.composer.noteLabel" : "ticket.composer.replyLabel");

  return (
    <Paper
      component="section"
      aria-label={t("ticket.composer")}
      withBorder
      p="sm"
      mt="md"
      style={mode === "internal" ? { background: "var(--mantine-color-yellow-light)" } : undefined}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <SegmentedControl
            aria-label={t("ticket.composer.mode")}
            value={mode}
            onChange={(v) => setMode(v as ComposerMode)}
            data={[
              { value: "public", label: t("ticket.composer.reply") },
              { value: "internal", label: t("ticket.composer.note") },
            ]}
          />
          <Select
            aria-label={t("ticket.composer.canned")}
            placeholder={t("ticket.composer.cannedPlaceholder")}
            data={(canned.data ?? []).map((c) => ({ value: c.id, label: c.title }))}
            nothingFoundMessage={t("ticket.composer.cannedNone")}
            searchable
            value={null}
            onChange={(id) => id && insertCanned.mutate(id)}
            w={{ base: "100%", xs: 240 }}
          />
        </Group>
        {isClosed && <Alert color="gray">{t("ticket.composer.closed")}</Alert>}
        <Textarea
          ref={area}
          label={label}
          placeholder={t(mode === "internal" ? "ticket.composer.notePlaceholder" : "ticket.composer.replyPlaceholder")}
          autosize
          minRows={4}
          maxRows={16}
          value={body}
          disabled={isClosed}
          onChange={(e) => {
            setBody(e.currentTarget.value);
            onTyping();
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit();
          }}
        />
        <Group justify="flex-end">
          <Button onClick={submit} loading={send.isPending} disabled={isClosed || !body.trim()} color={mode === "internal" ? "yellow" : undefined} autoContrast>
            {t(mode === "internal" ? "ticket.composer.addNote" : "ticket.composer.sendReply")}
          </Button>
        </Group>
      </Stack>

      <Modal opened={conflict !== null} onClose={() => setConflict(null)} title={t("ticket.changed.title")} size="lg">
        {conflict && (
          <Stack>
            <Text>{t("ticket.changed.intro", { what: conflict.changes.map((e) => eventSentence(e, names)).join("; ") })}</Text>
            <Group justify="flex-end">
              <Button
                variant="default"
                onClick={() => {
                  onReviewed(conflict.currentVersion);
                  setConflict(null);
                  document.getElementById("timeline-heading")?.scrollIntoView({ block: "start" });
                }}
              >
                {t("ticket.changed.review")}
              </Button>
              <Button
                loading={send.isPending}
                onClick={() => {
                  onReviewed(conflict.currentVersion);
                  send.mutate({ body: conflict.body, kind: conflict.kind, expectedVersion: conflict.currentVersion });
                }}
              >
                {t("ticket.changed.sendAnyway")}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Paper>
  );
});
