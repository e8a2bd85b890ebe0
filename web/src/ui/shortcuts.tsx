import { Kbd, Modal, Table } from "@mantine/core";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { t, type MessageKey } from "../i18n";

/** One keyboard shortcut: a single key (`j`, `?`, `Escape`) or `mod+k` (Ctrl, or ⌘ on a Mac). */
export type Shortcut = { keys: string; label: MessageKey; run: () => void; enabled?: boolean };

const active = new Map<number, Shortcut[]>();
const subscribers = new Set<() => void>();
let nextId = 1;
let snapshot: Shortcut[] = [];
function publish() {
  snapshot = [...active.values()].flat().filter((s) => s.enabled !== false);
  for (const s of subscribers) s();
}

/** Whether the person is typing: shortcuts never fire then (a `j` in a reply is a letter). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (target as HTMLInputElement).type;
    return !["checkbox", "radio", "button", "submit", "reset"].includes(type);
  }
  return target.getAttribute("role") === "textbox" || target.getAttribute("role") === "combobox";
}

/** Whether a key event is the shortcut `keys`. */
export function matches(event: KeyboardEvent, keys: string): boolean {
  const parts = keys.toLowerCase().split("+");
  const key = parts.pop()!;
  const mod = parts.includes("mod");
  if (mod !== (event.ctrlKey || event.metaKey)) return false;
  if (!mod && (event.altKey || event.ctrlKey || event.metaKey)) return false;
  return event.key.toLowerCase() === key;
}

/**
 * Registers shortcuts while the component is mounted; they are listed in the `?` sheet. Keys typed into a
 * field, and keys while a dialog is open (unless `mod+…`), are left alone.
 */
export function useShortcuts(shortcuts: Shortcut[]): void {
  const ref = useRef(shortcuts);
  ref.current = shortcuts;
  const signature = shortcuts.map((s) => `${s.keys}:${s.label}:${s.enabled !== false}`).join("|");
  useEffect(() => {
    const id = nextId++;
    active.set(id, ref.current.map((s) => ({ ...s, run: () => ref.current.find((c) => c.keys === s.keys)?.run() })));
    publish();
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      for (const s of ref.current) {
        if (s.enabled === false || !matches(event, s.keys)) continue;
        const withMod = s.keys.includes("mod+");
        if (!withMod && (isTyping(event.target) || document.querySelector("[role=dialog][aria-modal=true]"))) continue;
        event.preventDefault();
        s.run();
        return;
      }
    };
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      active.delete(id);
      publish();
    };
  }, [signature]);
}

/** The shortcuts in force on this screen. */
export function useActiveShortcuts(): Shortcut[] {
  return useSyncExternalStore(
    (cb) => {
      subscribers.add(cb);
      return () => subscribers.delete(cb);
    },
    () => snapshot,
  );
}

const display = (keys: string) => keys.split("+").map((k) => (k === "mod" ? (navigator.platform.includes("Mac") ? "⌘" : "Ctrl") : k));

/** The `?` cheat sheet: every shortcut of the current screen. */
export function ShortcutsHelp() {
  const [opened, setOpened] = useState(false);
  useShortcuts([{ keys: "?", label: "shortcuts.help", run: () => setOpened(true) }]);
  const list = useActiveShortcuts();
  return (
    <Modal opened={opened} onClose={() => setOpened(false)} title={t("shortcuts.title")}>
      <Table>
        <Table.Tbody>
          {list.map((s) => (
            <Table.Tr key={`${s.keys}-${s.label}`}>
              <Table.Td>
                {display(s.keys).map((k) => (
                  <Kbd key={k} mr={4}>
                    {k}
                  </Kbd>
                ))}
              </Table.Td>
              <Table.Td>{t(s.label)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
