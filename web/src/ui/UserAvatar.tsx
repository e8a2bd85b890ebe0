import { Avatar } from "@mantine/core";

/** A person's initials in a colour taken from their name, so the same person looks the same everywhere. */
export function UserAvatar({ name, size = "sm" }: { name: string; size?: "xs" | "sm" | "md" }) {
  return <Avatar name={name} color="initials" size={size} alt={name} />;
}
