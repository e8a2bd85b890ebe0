import { createTheme, defaultVariantColorsResolver, parseThemeColor, type CSSVariablesResolver, type VariantColorsResolver } from "@mantine/core";

// Shades chosen for WCAG AA contrast (4.5:1 for text): Mantine's default primary shade and "dimmed" grey
// are lighter than that on white.
/**
 * Light badges, buttons and alerts: Mantine's light variant writes shade 6 on a pale tint, which is under
 * 4.5:1 for orange, yellow, green and others (even shade 9 of green is). Here the text is shade 9 darkened
 * by a third in the light scheme and shade 2 in
 * the dark one (Mantine sets `color-scheme`, so `light-dark()` follows the app's switch).
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  if (input.variant !== "light") return colors;
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor) return colors;
  return { ...colors, color: `light-dark(color-mix(in srgb, var(--mantine-color-${parsed.color}-9), black 35%), var(--mantine-color-${parsed.color}-2))` };
};

export const theme = createTheme({
  variantColorResolver,
  primaryColor: "indigo",
  primaryShade: { light: 7, dark: 4 },
  // People who ask their system for less motion get no transitions (and axe never sees a half-faded dialog).
  respectReducedMotion: true,
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
