import { yaml } from "@codemirror/lang-yaml";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { Box } from "@mantine/core";
import { basicSetup, EditorView } from "codemirror";
import { forwardRef, useEffect, useImperativeHandle, useRef } from "react";

/** An error at a 1-based line and column, as the server reports it. */
export type LineError = { line: number; column?: number | undefined; message: string };

export type YamlEditorHandle = {
  /** Puts the cursor at the start of a line, scrolls it into view and focuses the editor. */
  goToLine: (line: number) => void;
};

type Props = {
  /** The text to start from; changing it replaces the editor's text (e.g. after discarding edits). */
  value: string;
  onChange: (text: string) => void;
  errors: LineError[];
  label: string;
};

// Colours from the app's theme, so the gutter text passes contrast in both schemes.
const theme = EditorView.theme({
  "&": { height: "min(62vh, 640px)", fontSize: "13px", backgroundColor: "var(--mantine-color-body)", color: "var(--mantine-color-text)" },
  ".cm-scroller": { overflow: "auto", fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" },
  ".cm-gutters": { backgroundColor: "var(--mantine-color-default-hover)", color: "var(--mantine-color-dimmed)", borderRight: "1px solid var(--mantine-color-default-border)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--mantine-color-default-border)", color: "var(--mantine-color-text)" },
  ".cm-activeLine": { backgroundColor: "transparent" },
  "&.cm-focused": { outline: "2px solid var(--mantine-primary-color-filled)", outlineOffset: "-1px" },
});

/** Diagnostics for the editor's text: each error on its line, from its column to the end of the line. */
export function diagnosticsOf(view: EditorView, errors: LineError[]): Diagnostic[] {
  const doc = view.state.doc;
  return errors.map((e) => {
    const line = doc.line(Math.min(Math.max(1, e.line), doc.lines));
    const from = Math.min(line.from + Math.max(0, (e.column ?? 1) - 1), line.to);
    return { from, to: Math.max(line.to, from), severity: "error", message: e.message };
  });
}

/** A CodeMirror 6 YAML editor with line numbers, search (Ctrl+F) and the server's errors in the gutter. */
export const YamlEditor = forwardRef<YamlEditorHandle, Props>(function YamlEditor({ value, onChange, errors, label }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const editor = new EditorView({
      doc: value,
      parent: host.current!,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        // Wrapped lines: no sideways scrolling, also at phone width.
        EditorView.lineWrapping,
        theme,
        // An explicit tabindex tells checkers (axe) that the scrolling editor has focusable content.
        EditorView.contentAttributes.of({ "aria-label": label, tabindex: "0" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) changed.current(update.state.doc.toString());
        }),
      ],
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is made once; later values arrive through the effect below.
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (editor) editor.dispatch(setDiagnostics(editor.state, diagnosticsOf(editor, errors)));
  }, [errors]);

  useImperativeHandle(ref, () => ({
    goToLine: (n: number) => {
      const editor = view.current;
      if (!editor) return;
      const line = editor.state.doc.line(Math.min(Math.max(1, n), editor.state.doc.lines));
      editor.dispatch({ selection: { anchor: line.from, head: line.to }, scrollIntoView: true });
      editor.focus();
    },
  }));

  return <Box ref={host} style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 6, overflow: "hidden" }} />;
});
