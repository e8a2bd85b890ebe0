import { createTheme, type CSSVariablesResolver } from "@mantine/core";

// Shades chosen for WCAG AA contrast (4.5:1 for text): Mantine's default primary shade and "dimmed" grey
// are lighter than that on white.
export const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 7, dark: 4 },
  defaultRadius: "md",
  fontFamily: "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  headings: { fontWeight: "650" },
  components: {
    Anchor: { defaultProps: { underline: "always" } },
  },
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)", "--mantine-color-placeholder": "var(--mantine-color-gray-7)" },
  dark: { "--mantine-color-dimmed": "var(--mantine-color-dark-1)", "--mantine-color-placeholder": "var(--mantine-color-dark-1)" },
});
