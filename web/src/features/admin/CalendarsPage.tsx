import { Button, Group, NumberInput, Paper, Select, SimpleGrid, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useMemo, useState } from "react";
import { adminApi, calendarDueQuery, calendarsQuery, type Calendar } from "../../api/admin";
import { describeProblem } from "../../api/describe-problem";
import { t, type MessageKey } from "../../i18n";
import { AdminForm, AdminHeader, AdminList, EditButton, FormActions, SelectedDialog, useSaveItem, useSelectedItem } from "./admin-form";

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
type Weekday = (typeof WEEKDAYS)[number];

/** A day's spans as one line: "09:00-12:30, 13:30-17:00" (empty: closed). */
export const formatSpans = (spans: [string, string][] | undefined): string => (spans ?? []).map(([a, b]) => `${a}-${b}`).join(", ");

/** The line back to spans; what does not parse is sent as typed, so the server names the day that is wrong. */
export function parseSpans(text: string): [string, string][] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => {
      const [a = "", b = ""] = s.split(/\s*[-–]\s*/);
      return [a, b] as [string, string];
    });
}

/** Holidays one a line, "2026-12-25 Christmas Day". */
const formatHolidays = (h: Calendar["holidays"]) => h.map((d) => `${d.date} ${d.name}`).join("\n");
function parseHolidays(text: string): { date: string; name: string }[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .map((l) => {
      const [date = "", ...name] = l.split(/\s+/);
      return { date, name: name.join(" ") };
    });
}

const zones = (): string[] => {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
};

/** Business-hours calendars: zone, weekly hours, holidays and a holiday region; with a due-date preview. */
export function CalendarsPage() {
  const { data: calendars } = useSuspenseQuery(calendarsQuery());
  const selection = useSelectedItem(calendars);
  const { select } = selection;
  return (
    <>
      <AdminHeader title="admin.calendars.title" intro="admin.calendars.intro" newLabel="admin.calendars.new" onNew={() => select("new")} />
      <AdminList
        label={t("admin.calendars.title")}
        minWidth={720}
        columns={["admin.field.name", "admin.field.timezone", "admin.calendars.hours", "admin.calendars.holidays", "admin.calendars.region"]}
        items={calendars}
        cells={(c) => (
          <>
            <Table.Td>{c.name}</Table.Td>
            <Table.Td>{c.timezone}</Table.Td>
            <Table.Td>
              <Text size="xs">
                {WEEKDAYS.filter((d) => (c.hours[d] ?? []).length > 0)
                  .map((d) => `${t(`admin.weekday.${d}` as MessageKey)} ${formatSpans(c.hours[d])}`)
                  .join(" · ")}
              </Text>
            </Table.Td>
            <Table.Td>{c.holidays.length}</Table.Td>
            <Table.Td>{c.holidayRegion ?? "—"}</Table.Td>
          </>
        )}
        actions={(c) => <EditButton name={c.name} onClick={() => select(c.id)} />}
      />
      <SelectedDialog selection={selection} newTitle="admin.calendars.new" editTitle="admin.calendars.edit">
        {(editing) => (
          <>
            {editing && <DuePreview calendar={editing} />}
            <CalendarForm key={selection.selected} calendar={editing} onDone={selection.close} />
          </>
        )}
      </SelectedDialog>
    </>
  );
}

/** "4 h of working time from now is due Tue 11:30": the server's calendar arithmetic, shown in the browser's zone. */
function DuePreview({ calendar }: { calendar: Calendar }) {
  const [hours, setHours] = useState<number | string>(4);
  const [asked, setAsked] = useState<{ start: string; hours: number } | null>(null);
  const due = useQuery({
    ...calendarDueQuery(calendar.id, asked?.start ?? "", `PT${asked?.hours ?? 0}H`),
    enabled: asked !== null,
  });
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="due-preview-title">
      <Title order={2} size="h5" id="due-preview-title">
        {t("admin.calendars.preview")}
      </Title>
      <Group align="flex-end" gap="sm" mt="xs">
        <NumberInput label={t("admin.calendars.previewHours")} value={hours} onChange={setHours} min={0.25} step={1} decimalScale={2} w={180} />
        <Button
          variant="light"
          onClick={() => typeof hours === "number" && hours > 0 && setAsked({ start: new Date().toISOString(), hours })}
        >
          {t("admin.calendars.previewRun")}
        </Button>
      </Group>
      <div aria-live="polite">
        {due.data && asked && (
          <Text mt="xs" fw={500}>
            {t("admin.calendars.dueResult", { hours: asked.hours, due: dayjs(due.data).format("ddd HH:mm"), date: dayjs(due.data).format("D MMM YYYY") })}
          </Text>
        )}
        {due.error && (
          <Text mt="xs" c="red.8" role="alert">
            {describeProblem(due.error).message}
          </Text>
        )}
      </div>
    </Paper>
  );
}

function CalendarForm({ calendar, onDone }: { calendar: Calendar | undefined; onDone: () => void }) {
  const zoneList = useMemo(zones, []);
  const form = useForm({
    initialValues: {
      name: calendar?.name ?? "",
      timezone: calendar?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      hours: Object.fromEntries(
        WEEKDAYS.map((d) => [d, calendar ? formatSpans(calendar.hours[d]) : ["sat", "sun"].includes(d) ? "" : "09:00-17:00"]),
      ) as Record<Weekday, string>,
      holidays: calendar ? formatHolidays(calendar.holidays) : "",
      holidayRegion: calendar?.holidayRegion ?? "",
    },
  });
  const { save, problem } = useSaveItem(form, {
    list: "calendars",
    fields: ["name", "timezone", "holidays", "holidayRegion", "hours", ...WEEKDAYS.map((d) => `hours.${d}`)],
    mutationFn: (v: typeof form.values) => {
      const body = {
        name: v.name,
        timezone: v.timezone,
        hours: Object.fromEntries(WEEKDAYS.map((d) => [d, parseSpans(v.hours[d])])) as Record<Weekday, [string, string][]>,
        holidays: parseHolidays(v.holidays),
        holidayRegion: v.holidayRegion.trim() === "" ? null : v.holidayRegion.trim(),
      };
      return calendar ? adminApi.updateCalendar(calendar.id, body) : adminApi.createCalendar(body);
    },
    onSaved: onDone,
  });
  return (
    <AdminForm onSubmit={form.onSubmit((v) => save.mutate(v))} problem={problem}>
      <TextInput label={t("admin.field.name")} required {...form.getInputProps("name")} />
      <Select label={t("admin.field.timezone")} data={zoneList} searchable allowDeselect={false} limit={50} {...form.getInputProps("timezone")} />
      <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
        <Text component="legend" size="sm" fw={500}>
          {t("admin.calendars.hours")}
        </Text>
        <Text size="xs" c="dimmed" mb={4}>
          {t("admin.calendars.hoursHint")}
        </Text>
        {form.errors.hours && (
          <Text size="xs" c="red.8" role="alert">
            {form.errors.hours}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          {WEEKDAYS.map((d) => (
            <TextInput key={d} label={t(`admin.weekdayLong.${d}` as MessageKey)} placeholder={t("admin.calendars.closed")} {...form.getInputProps(`hours.${d}`)} />
          ))}
        </SimpleGrid>
      </fieldset>
      <Textarea label={t("admin.calendars.holidays")} description={t("admin.calendars.holidaysHint")} autosize minRows={2} {...form.getInputProps("holidays")} />
      <TextInput label={t("admin.calendars.region")} description={t("admin.calendars.regionHint")} {...form.getInputProps("holidayRegion")} />
      <FormActions saving={save.isPending} onCancel={onDone} />
    </AdminForm>
  );
}
