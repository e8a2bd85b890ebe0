import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "@mantine/spotlight/styles.css";
import "@mantine/dates/styles.css";
import "./ui/app.css";
import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider, createRouter } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createQueryClient } from "./api/query-client";
import { onUnauthenticated } from "./api/client";
import { sessionQuery } from "./api/session";
import { routeTree } from "./routeTree.gen";
import { cssVariablesResolver, theme } from "./ui/theme";
import { RouteError } from "./ui/RouteError";
import { NotFound } from "./ui/NotFound";
import { FullPageLoader } from "./ui/FullPageLoader";

const queryClient = createQueryClient();

const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: "intent",
  // Loaders read through the query cache; the router itself keeps nothing stale.
  defaultPreloadStaleTime: 0,
  scrollRestoration: true,
  defaultErrorComponent: RouteError,
  defaultNotFoundComponent: NotFound,
  defaultPendingComponent: FullPageLoader,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}

// A 401 from any call means the session ended: forget it and let the routes send the person to log in.
onUnauthenticated(() => {
  const user = queryClient.getQueryData(sessionQuery().queryKey);
  if (user) {
    queryClient.setQueryData(sessionQuery().queryKey, null);
    void router.invalidate();
  }
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
