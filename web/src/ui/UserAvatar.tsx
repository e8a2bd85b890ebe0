import { Avatar } from "@mantine/core";

/**
 * A person's initials in a colour taken from their name, so the same person looks the same everywhere.
 * Hidden from assistive technology: the name it stands for is always said next to it or on its button
 * (initials inside a button named "Account: Ava Lindgren" fail axe's label-content-name-mismatch).
 */
export function UserAvatar({ name, size = "sm" }: { name: string; size?: "xs" | "sm" | "md" }) {
  return <Avatar name={name} color="initials" variant="filled" autoContrast size={size} alt={name} aria-hidden />;
}
