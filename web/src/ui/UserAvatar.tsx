import { Avatar } from "@mantine/core";

/**
 * A person's initials in a colour taken from their name, so the same person looks the same everywhere.
 * The light tint behind body-coloured initials keeps text contrast above 4.5:1 for every name (the filled
 * hues do not: some fail with either black or white initials). Hidden from assistive technology: the name
 * it stands for is always said next to it or on its button.
 */
export function UserAvatar({ name, size = "sm" }: { name: string; size?: "xs" | "sm" | "md" }) {
  return <Avatar name={name} color="initials" variant="light" size={size} alt={name} aria-hidden styles={{ placeholder: { color: "var(--mantine-color-text)" } }} />;
}
