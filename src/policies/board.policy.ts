import { AppError } from "../domain/errors.js";
import type { Principal } from "../domain/principal.js";

/** Which teams a board shows: every team, or only these. */
export type BoardScope = { all: true } | { all: false; teamIds: string[] };

/**
 * The live board is for the people who watch a queue rather than work one ticket: leads see the teams they
 * lead or belong to (a lead's teams are their memberships), managers and admins every team. Agents and
 * customers are refused; the board counts tickets they may not all read.
 */
export function authorizeBoard(actor: Principal): BoardScope {
  switch (actor.kind) {
    case "system":
      return { all: true };
    case "customer":
      throw new AppError("forbidden", "The board is for team leads, managers and admins.");
    case "agent":
      if (actor.role === "manager" || actor.role === "admin") return { all: true };
      if (actor.role === "lead") return { all: false, teamIds: actor.teamIds };
      throw new AppError("forbidden", "The board is for team leads, managers and admins; agents work from their inbox.");
  }
}
