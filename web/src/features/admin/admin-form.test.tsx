import { MantineProvider, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { act, render, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { ApiProblem } from "../../api/problem";
import { applyProblem, FormProblem } from "./admin-form";
import { formatSpans, parseSpans } from "./CalendarsPage";

describe("a calendar day's spans as one line", () => {
  it("reads 09:00-12:30, 13:30-17:00 as two spans and writes them back the same", () => {
    const spans = parseSpans("09:00-12:30, 13:30 – 17:00");
    expect(spans).toEqual([
      ["09:00", "12:30"],
      ["13:30", "17:00"],
    ]);
    expect(formatSpans(spans)).toBe("09:00-12:30, 13:30-17:00");
  });

  it("reads an empty day as closed and keeps what does not parse for the server to name", () => {
    expect(parseSpans("  ")).toEqual([]);
    expect(parseSpans("9-5")).toEqual([["9", "5"]]);
  });
});

let apply: (err: unknown) => void = () => {};

function Harness() {
  const form = useForm({ initialValues: { name: "", hours: { mon: "" }, steps: "[]" } });
  const [problem, setProblem] = useState<string | null>(null);
  apply = (err) => setProblem(applyProblem(form, err, ["name", "hours.mon", "steps"]));
  return (
    <MantineProvider>
      <FormProblem message={problem} />
      <TextInput label="Name" {...form.getInputProps("name")} />
      <TextInput label="Monday" {...form.getInputProps("hours.mon")} />
      <TextInput label="Steps" {...form.getInputProps("steps")} />
    </MantineProvider>
  );
}

const problem = (errors: { path: string; message: string }[], detail = "The body is not valid") =>
  new ApiProblem(400, { code: "validation_failed", detail, errors });

describe("a server problem put on the form", () => {
  it("shows each failing field on its own input, nested paths on the field that holds them", () => {
    render(<Harness />);
    act(() =>
      apply(
        problem([
          { path: "body.name", message: "must not be empty" },
          { path: "body.hours.mon.0.1", message: "must be a time written HH:MM" },
          { path: "body.steps.2.before", message: "must be longer than zero" },
        ]),
      ),
    );
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("must not be empty")).toBeTruthy();
    expect(screen.getByLabelText("Monday").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("0.1: must be a time written HH:MM")).toBeTruthy();
    expect(screen.getByText("2.before: must be longer than zero")).toBeTruthy();
    expect(screen.queryByRole("alert"), "every error found its field").toBeNull();
  });

  it("says in the form's alert what no field shows: a whole-body error or a conflict", () => {
    render(<Harness />);
    act(() => apply(problem([{ path: "body", message: "nothing to change" }])));
    expect(screen.getByRole("alert").textContent).toContain("nothing to change");
    act(() => apply(new ApiProblem(409, { code: "team_exists", detail: "A team with this name already exists." })));
    expect(screen.getByRole("alert").textContent).toContain("A team with this name already exists.");
  });
});
