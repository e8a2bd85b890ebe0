import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { t } from "../i18n";
import { describeProblem } from "./describe-problem";
import { ApiProblem } from "./problem";

declare module "@tanstack/react-query" {
  interface Register {
    mutationMeta: {
      /** The screen shows this mutation's problem itself (on its form): no notification. */
      handlesProblem?: boolean;
    };
  }
}

/** Shows a failure as a notification, in the words describeProblem chooses. */
export function notifyProblem(err: unknown): void {
  const { title, message } = describeProblem(err);
  notifications.show({ color: "red", title, message, autoClose: 8000, closeButtonProps: { "aria-label": t("app.closeNotification") } });
}

/**
 * The app's one query client. Failed mutations are announced in one place (unless the form shows the
 * problem on its fields); failed background refetches are announced once, not on every retry.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (count, err) => !(err instanceof ApiProblem && err.status >= 400 && err.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
    queryCache: new QueryCache({
      onError: (err, query) => {
        if (query.state.data !== undefined) notifyProblem(err);
      },
    }),
    mutationCache: new MutationCache({
      onError: (err, _vars, _ctx, mutation) => {
        if (mutation.meta?.handlesProblem && err instanceof ApiProblem && err.status < 500 && err.status !== 0) return;
        notifyProblem(err);
      },
    }),
  });
}
