import { Center, Loader } from "@mantine/core";
import { t } from "../i18n";

export function FullPageLoader() {
  return (
    <Center h="60vh">
      <Loader aria-label={t("app.loading")} />
    </Center>
  );
}
