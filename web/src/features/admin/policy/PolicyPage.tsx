import { Alert, Anchor, Badge, Box, Button, Grid, Group, List, Modal, Paper, Stack, Text, Title, UnstyledButton } from "@mantine/core";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useRef, useState } from "react";
import { describeProblem } from "../../../api/describe-problem";
import {
  applyPolicyText,
  checkPolicy,
  invalidateAfterApply,
  listSlaPolicies,
  policyTextQuery,
  reapplySlaPolicy,
  type PolicyApplyResult,
  type PolicyCheckResult,
} from "../../../api/policy";
import { ApiProblem } from "../../../api/problem";
import { t } from "../../../i18n";
import { PolicyDiff } from "./PolicyDiff";
import { YamlEditor, type YamlEditorHandle } from "./YamlEditor";

// Alert titles in the theme's text colour: the light variant's coloured title fails contrast on its tint.
const ALERT_STYLES = { title: { color: "var(--mantine-color-text)" } };

/** An error the list shows: at a line of the file when the server knows it, else at a path (e.g. a removal refused). */
type ListedError = { line?: number | undefined; column?: number | undefined; path: string; message: string };

/** `/admin/policy`: the escalation policy as YAML, with Check, Dry run (the diff) and Apply. */
export function PolicyPage() {
  const queryClient = useQueryClient();
  const { data: loaded } = useSuspenseQuery(policyTextQuery());
  const editor = useRef<YamlEditorHandle>(null);
  const [base, setBase] = useState(loaded);
  const [draft, setDraft] = useState(loaded.text);
  const [errors, setErrors] = useState<ListedError[]>([]);
  const [checked, setChecked] = useState<{ text: string; result: PolicyCheckResult } | null>(null);
  const [dryRun, setDryRun] = useState<{ text: string; result: PolicyApplyResult } | null>(null);
  const [applied, setApplied] = useState<PolicyApplyResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const edited = draft !== base.text;

  const clearResults = () => {
    setProblem(null);
    setApplied(null);
  };
  // A refused dry run or apply: line errors go to the editor and the list; other refusals are said in words.
  const onRefused = (err: unknown) => {
    if (!(err instanceof ApiProblem) || err.status === 0 || err.status >= 500) return; // the app's one handler announces these
    if (err.status === 412) setStale(true);
    const raw = Array.isArray(err.body.errors) ? (err.body.errors as { column?: number }[]) : [];
    if (err.fields.length > 0) setErrors(err.fields.map((f, i) => ({ line: f.line, column: raw[i]?.column, path: f.field, message: f.message })));
    setProblem(describeProblem(err).message);
  };

  const check = useMutation({
    mutationFn: (text: string) => checkPolicy(text).then((result) => ({ text, result })),
    onMutate: clearResults,
    onSuccess: (c) => {
      setChecked(c);
      setErrors(c.result.errors);
    },
  });
  const preview = useMutation({
    mutationFn: (text: string) => applyPolicyText(text, { dryRun: true, etag: base.etag }).then((result) => ({ text, result })),
    meta: { handlesProblem: true },
    onMutate: clearResults,
    onSuccess: (d) => {
      setDryRun(d);
      setErrors([]);
    },
    onError: onRefused,
  });
  const apply = useMutation({
    mutationFn: (text: string) => applyPolicyText(text, { dryRun: false, etag: base.etag }).then((result) => ({ text, result })),
    meta: { handlesProblem: true },
    onMutate: clearResults,
    onSuccess: async ({ text, result }) => {
      setConfirming(false);
      setApplied(result);
      setErrors([]);
      setDryRun(null);
      setBase({ text, etag: result.etag });
      await invalidateAfterApply(queryClient);
    },
    onError: (err) => {
      setConfirming(false);
      onRefused(err);
    },
  });
  const changedSlaPolicies = (applied?.changes ?? []).filter((c) => c.section === "slaPolicies" && c.op === "change").map((c) => c.name);
  const reapply = useMutation({
    mutationFn: async (names: string[]) => {
      const ids = (await listSlaPolicies()).filter((p) => names.includes(p.name)).map((p) => p.id);
      let tickets = 0;
      for (const id of ids) tickets += (await reapplySlaPolicy(id)).tickets;
      return tickets;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["ticket"] }),
  });

  const discard = async () => {
    const fresh = await queryClient.fetchQuery({ ...policyTextQuery(), staleTime: 0 });
    setBase(fresh);
    setDraft(fresh.text);
    setErrors([]);
    setChecked(null);
    setDryRun(null);
    setStale(false);
    clearResults();
  };

  const busy = check.isPending || preview.isPending || apply.isPending;
  const lineErrors = errors.filter((e): e is ListedError & { line: number } => typeof e.line === "number");
  const upToDate = <T,>(r: { text: string; result: T } | null) => (r && r.text === draft ? r.result : null);
  const checkedNow = upToDate(checked);
  const dryRunNow = upToDate(dryRun);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Box maw={760}>
          <Title order={1} size="h2">
            {t("policy.editor.title")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("policy.editor.intro")}
          </Text>
        </Box>
        <Anchor component={Link} to="/admin/flowchart" size="sm">
          {t("policy.editor.flowchart")}
        </Anchor>
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="xs">
            <Group justify="space-between" gap="xs">
              <Group gap="xs">
                <Button onClick={() => check.mutate(draft)} loading={check.isPending} disabled={busy && !check.isPending}>
                  {t("policy.editor.check")}
                </Button>
                <Button variant="default" onClick={() => preview.mutate(draft)} loading={preview.isPending} disabled={busy && !preview.isPending}>
                  {t("policy.editor.dryRun")}
                </Button>
                <Button variant="filled" color="red.9" onClick={() => setConfirming(true)} disabled={busy || !edited}>
                  {t("policy.editor.apply")}
                </Button>
              </Group>
              <Group gap="xs">
                <Badge variant="dot" color={edited ? "yellow" : "gray"}>
                  {edited ? t("policy.editor.edited") : t("policy.editor.unchanged")}
                </Badge>
                <Button variant="subtle" size="xs" onClick={() => void discard()} disabled={busy}>
                  {t("policy.editor.reset")}
                </Button>
              </Group>
            </Group>
            <YamlEditor ref={editor} value={draft} onChange={setDraft} errors={lineErrors} label={t("policy.editor.label")} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md" component="section" aria-label={t("policy.editor.results")}>
            <Stack gap="xs" aria-live="polite">
              {stale && (
                <Alert styles={ALERT_STYLES} color="yellow" title={t("problem.conflict")}>
                  {t("policy.apply.changed")}
                </Alert>
              )}
              {problem && !stale && (
                <Alert styles={ALERT_STYLES} color="red" title={t("problem.title")}>
                  {problem}
                </Alert>
              )}
              {checkedNow?.ok && errors.length === 0 && !applied && (
                <Alert styles={ALERT_STYLES} color="green" title={t("policy.editor.check")}>
                  {t("policy.editor.ok")}
                </Alert>
              )}
              {applied && (
                <Alert styles={ALERT_STYLES} color="green" title={applied.applied ? t("policy.apply.done") : t("policy.apply.nothing")} />
              )}
            </Stack>
            {errors.length > 0 && (
              <Paper withBorder p="sm" component="section" aria-labelledby="policy-errors">
                <Title order={2} size="h4" id="policy-errors">
                  {t("policy.editor.errorsTitle")} ({errors.length === 1 ? t("policy.editor.errors.one") : t("policy.editor.errors.other", { n: errors.length })})
                </Title>
                <List spacing={4} size="sm" listStyleType="none">
                  {errors.map((e, i) => (
                    <List.Item key={`${e.line ?? "-"}:${e.path}:${i}`}>
                      {typeof e.line === "number" ? (
                        <UnstyledButton
                          onClick={() => editor.current?.goToLine(e.line!)}
                          title={t("policy.editor.goToLine", { line: e.line })}
                          style={{ textAlign: "left" }}
                        >
                          <Text size="sm" c="red.9" td="underline">
                            {t("policy.editor.errorAt", { line: e.line, column: e.column ?? 1, path: e.path, message: e.message })}
                          </Text>
                        </UnstyledButton>
                      ) : (
                        <Text size="sm" c="red.9">
                          {e.path}: {e.message}
                        </Text>
                      )}
                    </List.Item>
                  ))}
                </List>
              </Paper>
            )}
            {dryRunNow && !applied && (
              <Paper withBorder p="sm">
                <PolicyDiff changes={dryRunNow.changes} title={t("policy.diff.title")} />
              </Paper>
            )}
            {applied?.applied && (
              <Paper withBorder p="sm">
                <PolicyDiff changes={applied.changes} title={t("policy.diff.appliedTitle")} />
              </Paper>
            )}
            {applied?.applied && changedSlaPolicies.length > 0 && (
              <Alert styles={ALERT_STYLES} color="blue" title={t("policy.reapply.title")}>
                <Stack gap="xs">
                  <Text size="sm">{t("policy.reapply.body", { names: changedSlaPolicies.join(", ") })}</Text>
                  {reapply.isSuccess ? (
                    <Text size="sm" fw={600}>
                      {reapply.data === 1 ? t("policy.reapply.done.one") : t("policy.reapply.done.other", { n: reapply.data })}
                    </Text>
                  ) : (
                    <Button size="xs" variant="light" onClick={() => reapply.mutate(changedSlaPolicies)} loading={reapply.isPending} w="fit-content">
                      {t("policy.reapply.button")}
                    </Button>
                  )}
                </Stack>
              </Alert>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t("policy.apply.title")}>
        <Stack gap="sm">
          <Text size="sm">{t("policy.apply.body")}</Text>
          {dryRunNow && (
            <Text size="sm" fw={600}>
              {t("policy.diff.summary", {
                add: dryRunNow.changes.filter((c) => c.op === "add").length,
                change: dryRunNow.changes.filter((c) => c.op === "change").length,
                remove: dryRunNow.changes.filter((c) => c.op === "remove").length,
              })}
            </Text>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t("policy.apply.cancel")}
            </Button>
            <Button color="red.9" onClick={() => apply.mutate(draft)} loading={apply.isPending}>
              {t("policy.apply.confirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
