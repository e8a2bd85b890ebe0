import { Alert, Button, Stack } from "@mantine/core";
import { useQueryErrorResetBoundary } from "@tanstack/react-query";
import { useRouter, type ErrorComponentProps } from "@tanstack/react-router";
import { useEffect } from "react";
import { describeProblem } from "../api/describe-problem";
import { ApiProblem } from "../api/problem";
import { t } from "../i18n";

/** What a route shows when its loader or screen failed: the problem in words and a way to try again. */
export function RouteError({ error }: ErrorComponentProps) {
  const router = useRouter();
  const reset = useQueryErrorResetBoundary();
  useEffect(() => reset.reset(), [reset]);
  const { title, message } = error instanceof ApiProblem && error.status === 404 ? { title: t("problem.title"), message: t("problem.notFound") } : describeProblem(error);
  return (
    <Stack p="lg" maw={640}>
      <Alert color="red" title={title} role="alert">
        {message}
      </Alert>
      <Button variant="light" onClick={() => void router.invalidate()} w="fit-content">
        {t("app.retry")}
      </Button>
    </Stack>
  );
}
