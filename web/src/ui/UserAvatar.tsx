import { Avatar } from "@mantine/core";

/**
 * A person's initials in a colour taken from their name, so the same person looks the same everywhere.
 * The initials are in the body text colour (the light hue's own shade fails contrast), and hidden from
 * assistive technology: the control or label around the avatar names the person.
 */
export function UserAvatar({ name, size = "sm" }: { name: string; size?: "xs" | "sm" | "md" }) {
  return <Avatar name={name} color="initials" size={size} alt={name} aria-hidden styles={{ placeholder: { color: "var(--mantine-color-text)" } }} />;
}
