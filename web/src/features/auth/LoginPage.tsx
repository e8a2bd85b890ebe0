import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { describeProblem } from "../../api/describe-problem";
import { ApiProblem } from "../../api/problem";
import { homeOf, logIn } from "../../api/session";
import { t } from "../../i18n";

export function LoginPage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const search = useSearch({ from: "/login" });
  const form = useForm({ initialValues: { email: "", password: "" } });
  const login = useMutation({
    mutationFn: (v: { email: string; password: string }) => logIn(queryClient, v.email, v.password),
    meta: { handlesProblem: true },
    onSuccess: (user) => {
      const target = search.redirect && user.kind === "agent" ? search.redirect : homeOf(user);
      void navigate({ to: target });
    },
    onError: (err) => {
      if (err instanceof ApiProblem) form.setErrors(err.fieldErrors());
    },
  });
  const failure =
    login.error instanceof ApiProblem && login.error.status === 401 ? t("login.failed") : login.error ? describeProblem(login.error).message : null;
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <form onSubmit={form.onSubmit((v) => login.mutate(v))} noValidate>
          <Stack>
            <Title order={1} size="h2">
              {t("login.title")}
            </Title>
            {failure && (
              <Alert color="red" role="alert">
                {failure}
              </Alert>
            )}
            <TextInput label={t("login.email")} type="email" autoComplete="username" required {...form.getInputProps("email")} />
            <PasswordInput label={t("login.password")} autoComplete="current-password" required {...form.getInputProps("password")} />
            <Button type="submit" loading={login.isPending}>
              {t("login.submit")}
            </Button>
            <Text size="sm" c="dimmed">
              {t("login.customerHint")}{" "}
              <Anchor component={Link} to="/portal/sign-in">
                {t("login.portalLink")}
              </Anchor>
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
