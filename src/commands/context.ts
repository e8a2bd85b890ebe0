import type { Db } from "../db/store.js";
import type { Clock } from "../domain/clock.js";
import type { Principal } from "../domain/principal.js";

/** What every command and query receives: the store, the time source and who is acting. */
export type CommandContext = { db: Db; clock: Clock; actor: Principal };
