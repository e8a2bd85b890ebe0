import { hash, verify } from "@node-rs/argon2";

/** Hashes a password with argon2id and the library's recommended cost. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// A real hash of a random string, verified against when the account does not exist, so that an unknown
// e-mail address costs as much time as a wrong password and timing does not reveal which accounts exist.
let decoy: Promise<string> | undefined;

/** Verifies a password against a stored hash (or against a decoy when there is none). */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (!stored) {
    decoy ??= hash(`decoy-${Math.random()}`);
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
