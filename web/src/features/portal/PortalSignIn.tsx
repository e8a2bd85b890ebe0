import { Alert, Anchor, Button, Card, Loader, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { describeProblem } from "../../api/describe-problem";
import { ApiProblem } from "../../api/problem";
import { requestMagicLink, verifyMagicLink } from "../../api/portal";
import { homeOf, logIn } from "../../api/session";
import type { User } from "../../api/types";
import { t } from "../../i18n";

// A token is tried once per page load, even when React mounts the page twice (StrictMode): it is single-use.
const attempts = new Map<string, Promise<User>>();
function verifyOnce(queryClient: QueryClient, token: string): Promise<User> {
  let attempt = attempts.get(token);
  if (!attempt) {
    attempt = verifyMagicLink(queryClient, token);
    attempts.set(token, attempt);
  }
  return attempt;
}

/** Why a sign-in link did not work, in words that say what to do. */
function linkFailure(err: unknown): string {
  if (err instanceof ApiProblem) {
    if (err.code === "sign_in_link_used") return t("portal.signIn.linkUsed");
    if (err.code === "sign_in_link_expired") return t("portal.signIn.linkExpired");
    if (err.code === "sign_in_link_invalid" || err.code === "validation_failed") return t("portal.signIn.linkInvalid");
  }
  return describeProblem(err).message;
}

/**
 * `/portal/sign-in`: ask for a sign-in link by e-mail (or use a password); opened from the mailed link
 * (`?token=…`) it signs in and goes on to the portal.
 */
export function PortalSignIn() {
  const { token } = useSearch({ from: "/portal/sign-in" });
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [linkError, setLinkError] = useState<string | null>(null);
  const [usePassword, setUsePassword] = useState(false);
  const [verifying, setVerifying] = useState(Boolean(token));

  useEffect(() => {
    if (!token) return;
    let live = true;
    verifyOnce(queryClient, token).then(
      (user) => {
        if (live) void navigate({ to: homeOf(user), replace: true });
      },
      (err: unknown) => {
        if (!live) return;
        setLinkError(linkFailure(err));
        setVerifying(false);
      },
    );
    return () => {
      live = false;
    };
  }, [token, queryClient, navigate]);

  const linkForm = useForm({ initialValues: { email: "" }, validate: { email: (v) => (/^\S+@\S+$/.test(v.trim()) ? null : t("problem.validation")) } });
  const sendLink = useMutation({
    mutationFn: (email: string) => requestMagicLink(email),
    meta: { handlesProblem: true },
    onError: (err) => {
      if (err instanceof ApiProblem) linkForm.setErrors(err.fieldErrors());
    },
  });
  const passwordForm = useForm({ initialValues: { email: "", password: "" } });
  const passwordLogIn = useMutation({
    mutationFn: (v: { email: string; password: string }) => logIn(queryClient, v.email, v.password),
    meta: { handlesProblem: true },
    onSuccess: (user) => void navigate({ to: homeOf(user) }),
  });

  if (verifying) {
    return (
      <Stack align="center" mt="xl" role="status">
        <Loader aria-hidden />
        <Text>{t("portal.signIn.verifying")}</Text>
      </Stack>
    );
  }

  const sendFailure = sendLink.error && !(sendLink.error instanceof ApiProblem && sendLink.error.fields.length > 0) ? describeProblem(sendLink.error).message : null;
  const passwordFailure =
    passwordLogIn.error instanceof ApiProblem && passwordLogIn.error.status === 401
      ? t("portal.signIn.wrongPassword")
      : passwordLogIn.error
        ? describeProblem(passwordLogIn.error).message
        : null;

  return (
    <Stack maw={460} mx="auto" mt="lg">
      <Title order={1} size="h2">
        {t("portal.signIn.title")}
      </Title>
      {linkError && (
        <Alert color="orange" role="alert">
          {linkError}
        </Alert>
      )}
      <Card withBorder>
        {usePassword ? (
          <form onSubmit={passwordForm.onSubmit((v) => passwordLogIn.mutate(v))} noValidate>
            <Stack>
              {passwordFailure && (
                <Alert color="red" role="alert">
                  {passwordFailure}
                </Alert>
              )}
              <TextInput label={t("portal.signIn.email")} type="email" autoComplete="username" required {...passwordForm.getInputProps("email")} />
              <PasswordInput label={t("portal.signIn.password")} autoComplete="current-password" required {...passwordForm.getInputProps("password")} />
              <Button type="submit" loading={passwordLogIn.isPending}>
                {t("portal.signIn.submitPassword")}
              </Button>
            </Stack>
          </form>
        ) : sendLink.isSuccess ? (
          <Stack>
            <Alert color="green" role="status">
              {t("portal.signIn.sent")}
            </Alert>
            <Button variant="subtle" onClick={() => sendLink.reset()}>
              {t("portal.signIn.again")}
            </Button>
          </Stack>
        ) : (
          <form onSubmit={linkForm.onSubmit((v) => sendLink.mutate(v.email.trim()))} noValidate>
            <Stack>
              <Text size="sm">{t("portal.signIn.intro")}</Text>
              {sendFailure && (
                <Alert color="red" role="alert">
                  {sendFailure}
                </Alert>
              )}
              <TextInput label={t("portal.signIn.email")} type="email" autoComplete="email" required {...linkForm.getInputProps("email")} />
              <Button type="submit" loading={sendLink.isPending}>
                {t("portal.signIn.sendLink")}
              </Button>
            </Stack>
          </form>
        )}
      </Card>
      <Stack gap={4} align="flex-start">
        <Anchor component="button" type="button" size="sm" onClick={() => setUsePassword((v) => !v)}>
          {usePassword ? t("portal.signIn.withLink") : t("portal.signIn.withPassword")}
        </Anchor>
        <Anchor component={Link} to="/login" size="sm">
          {t("portal.signIn.staff")}
        </Anchor>
      </Stack>
    </Stack>
  );
}
