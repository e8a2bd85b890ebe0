import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, Title, type TableProps } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useState, type FormEventHandler, type ReactNode } from "react";
import { invalidateAdmin } from "../../api/admin";
import { describeProblem } from "../../api/describe-problem";
import { ApiProblem } from "../../api/problem";
import { t, type MessageKey } from "../../i18n";

/** The item open in a page's dialog, from `?selected=<id>` (`new` for the create form), and how to change it. */
export function useSelected(): [string | undefined, (id: string | undefined) => void] {
  const search = useSearch({ strict: false }) as { selected?: string };
  const navigate = useNavigate();
  const select = (id: string | undefined) =>
    void navigate({ to: ".", search: (prev: Record<string, unknown>) => ({ ...prev, selected: id }), replace: false } as never);
  return [search.selected, select];
}

/**
 * The page's selection resolved against its list: `editing` is the selected item (not for `new`), `close`
 * clears `?selected=`. `idOf` picks the id an item is selected by (its `id` unless told).
 */
export function useSelectedItem<T>(items: readonly T[], idOf: (item: T) => string = (item) => (item as { id: string }).id) {
  const [selected, select] = useSelected();
  const editing = selected && selected !== "new" ? items.find((x) => idOf(x) === selected) : undefined;
  return { selected, select, editing, close: () => select(undefined) };
}

/**
 * Puts a server problem on the form: each failing field on the form field it belongs to (`hours.mon.0.1`
 * on `hours.mon`, `steps.2.before` on `steps`), the rest as one message for the form's alert.
 */
export function applyProblem<T>(form: UseFormReturnType<T>, err: unknown, fields: readonly string[]): string | null {
  if (!(err instanceof ApiProblem) || err.status >= 500 || err.status === 0) return describeProblem(err).message;
  const errors: Record<string, string> = {};
  const rest: string[] = [];
  for (const f of err.fields) {
    const key = [...fields].sort((a, b) => b.length - a.length).find((k) => f.field === k || f.field.startsWith(`${k}.`));
    if (key) errors[key] ??= key === f.field ? f.message : `${f.field.slice(key.length + 1)}: ${f.message}`;
    else rest.push(f.field && f.field !== "body" ? `${f.field}: ${f.message}` : f.message);
  }
  form.setErrors(errors);
  if (rest.length > 0) return rest.join("; ");
  if (Object.keys(errors).length === 0) return err.detail;
  return null;
}

/**
 * An admin form's save: `mutationFn` sends the body, then the admin list `list` is refetched and `onSaved`
 * runs; a problem goes on the form's `fields` (see `applyProblem`) and the rest into `problem`.
 */
export function useSaveItem<T, B, R>(
  form: UseFormReturnType<T>,
  { list, fields, mutationFn, onSaved }: { list: string; fields: readonly string[]; mutationFn: (body: B) => Promise<R>; onSaved: (result: R) => void },
) {
  const qc = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation({
    meta: { handlesProblem: true },
    mutationFn,
    onSuccess: async (result) => {
      await invalidateAdmin(qc, list);
      onSaved(result);
    },
    onError: (err) => setProblem(applyProblem(form, err, fields)),
  });
  return { save, problem, setProblem };
}

/** Deletes (or retires, or resets) the item a form edits: then the admin list `list` is refetched and `onDone` runs. */
export function useRemoveItem<R>(list: string, mutationFn: () => Promise<R>, onDone: () => void, announce?: (result: R) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async (result) => {
      announce?.(result);
      await invalidateAdmin(qc, list);
      onDone();
    },
  });
}

/** Says whether the removed item `name` was deleted or, being in use, retired. */
export const announceRemoved =
  (name: string) =>
  (r: { outcome: string }): void =>
    void notifications.show({ message: t(r.outcome === "deleted" ? "admin.removed.deleted" : "admin.removed.retired", { name }) });

/** A create or edit form: its fields stacked under the alert for the problem no single field shows. */
export function AdminForm({ onSubmit, problem, children }: { onSubmit: FormEventHandler<HTMLFormElement>; problem: string | null; children: ReactNode }) {
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <FormProblem message={problem} />
        {children}
      </Stack>
    </form>
  );
}

/** The form's own alert for a problem no single field shows. */
export function FormProblem({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert" title={t("problem.title")}>
      {message}
    </Alert>
  );
}

/** A page's heading, a sentence about it, and its main action: `onNew` gives it a "New …" button labelled `newLabel`. */
export function AdminHeader({ title, intro, action, newLabel, onNew }: { title: MessageKey; intro: MessageKey; action?: ReactNode; newLabel?: MessageKey; onNew?: () => void }) {
  return (
    <Group justify="space-between" align="flex-start" mb="md" wrap="wrap" gap="sm">
      <div style={{ flex: "1 1 18rem" }}>
        <Title order={1} size="h3">
          {t(title)}
        </Title>
        <Text c="dimmed" size="sm">
          {t(intro)}
        </Text>
      </div>
      {action}
      {newLabel && onNew && <Button onClick={onNew}>{t(newLabel)}</Button>}
    </Group>
  );
}

/** A list that scrolls sideways at phone width instead of squeezing its columns. */
export function AdminTable({ label, minWidth = 640, children, ...rest }: TableProps & { label: string; minWidth?: number }) {
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native">
      <Table striped highlightOnHover aria-label={label} {...rest}>
        {children}
      </Table>
    </Table.ScrollContainer>
  );
}

/** A list's column headings, with the actions column last. */
export function AdminTableHead({ columns }: { columns: readonly MessageKey[] }) {
  return (
    <Table.Thead>
      <Table.Tr>
        {columns.map((c) => (
          <Table.Th key={c}>{t(c)}</Table.Th>
        ))}
        <Table.Th>{t("admin.actions")}</Table.Th>
      </Table.Tr>
    </Table.Thead>
  );
}

/**
 * A page's list: its column headings, then a row per item with the item's own cells and, last, its actions
 * (`actions`, usually its `EditButton`).
 */
export function AdminList<T>({
  label,
  minWidth,
  columns,
  items,
  rowKey = (item) => (item as { id: string }).id,
  cells,
  actions,
}: {
  label: string;
  minWidth?: number;
  columns: readonly MessageKey[];
  items: readonly T[];
  rowKey?: (item: T) => string;
  cells: (item: T) => ReactNode;
  actions: (item: T) => ReactNode;
}) {
  return (
    <AdminTable label={label} minWidth={minWidth}>
      <AdminTableHead columns={columns} />
      <Table.Tbody>
        {items.map((item) => (
          <Table.Tr key={rowKey(item)}>
            {cells(item)}
            <Table.Td>{actions(item)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </AdminTable>
  );
}

/** Whether a row is in use: "Active", or `off` ("Inactive" unless told). */
export function StatusBadge({ active, off = "admin.inactive" }: { active: boolean; off?: MessageKey }) {
  return (
    <Badge color={active ? "teal.9" : "gray.7"} variant="filled">
      {active ? t("admin.active") : t(off)}
    </Badge>
  );
}

/** A row's "Edit" button, named for the row ("Edit Billing") so each one can be told apart. */
export function EditButton({ name, onClick }: { name: string; onClick: () => void }) {
  return (
    <Button size="xs" variant="light" onClick={onClick} aria-label={t("admin.editNamed", { name })}>
      {t("admin.edit")}
    </Button>
  );
}

/**
 * The dialog for the page's selection: titled `editTitle` for an item, `newTitle` for `?selected=new`; its
 * content only once there is something to show (an unknown id opens an empty dialog, as before).
 */
export function SelectedDialog<T extends { name: string }>({
  selection,
  newTitle,
  editTitle,
  size,
  onClose = selection.close,
  children,
}: {
  selection: { selected: string | undefined; editing: T | undefined; close: () => void };
  newTitle: MessageKey;
  editTitle: MessageKey;
  size?: string;
  onClose?: () => void;
  children: (editing: T | undefined) => ReactNode;
}) {
  const { selected, editing } = selection;
  return (
    <FormModal opened={selected !== undefined} onClose={onClose} title={editing ? t(editTitle, { name: editing.name }) : t(newTitle)} size={size}>
      {(selected === "new" || editing) && children(editing)}
    </FormModal>
  );
}

/** The dialog a create or edit form opens in; full screen at phone width. */
export function FormModal({ opened, title, onClose, children, size = "lg" }: { opened: boolean; title: string; onClose: () => void; children: ReactNode; size?: string }) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size} closeButtonProps={{ "aria-label": t("admin.close") }} fullScreen={typeof window !== "undefined" && window.innerWidth < 500}>
      {children}
    </Modal>
  );
}

/** Save and cancel, at the foot of a form. */
export function FormActions({ saving, onCancel, save = "admin.save" }: { saving: boolean; onCancel: () => void; save?: MessageKey }) {
  return (
    <Group justify="flex-end" mt="md">
      <Button variant="default" onClick={onCancel}>
        {t("admin.cancel")}
      </Button>
      <Button type="submit" loading={saving}>
        {t(save)}
      </Button>
    </Group>
  );
}

/** "a, b, c" typed in one field, as a list (blank items dropped). */
export const splitList = (text: string): string[] =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** JSON typed into a textarea; a syntax error is reported on the field, not sent. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: t("admin.json.invalid", { detail: (err as Error).message }) };
  }
}
