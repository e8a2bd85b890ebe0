import { z } from "zod";
import { CHANNELS, PRIORITIES, TICKET_STATUSES } from "../../../../src/domain/vocabulary";
import type { TicketFilters } from "../../api/inbox";

export const VIEWS = ["mine", "team", "escalated", "at-risk", "waiting", "all"] as const;
export const SORTS = ["created", "updated", "priority", "due"] as const;

// The router reads each search value as JSON where it parses (`selected=12` is a number, `overdue=true` a
// boolean), so text fields are read back as strings, and a value that makes no sense is dropped, not an error.
const text = z.preprocess((v) => (v === undefined || v === null || v === "" ? undefined : String(v)), z.string().max(200).optional()).catch(undefined);
const uuid = z.uuid().optional().catch(undefined);
const time = z.iso.datetime({ offset: true }).optional().catch(undefined);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);

/** The inbox's URL: view, filters, sort and the selected ticket (by number); see the slices' contract. */
export const InboxSearch = z.object({
  view: oneOf(VIEWS),
  status: oneOf(TICKET_STATUSES),
  priority: oneOf(PRIORITIES),
  levelId: uuid,
  teamId: uuid,
  assigneeId: uuid,
  category: text,
  channel: oneOf(CHANNELS),
  tag: z
    .preprocess((v) => (v === undefined || v === "" ? undefined : (Array.isArray(v) ? v : [v]).map(String)), z.array(z.string().min(1).max(60)).max(10).optional())
    .catch(undefined),
  q: text,
  overdue: z.preprocess((v) => (v === true || v === "true" ? "true" : undefined), z.literal("true").optional()).catch(undefined),
  createdFrom: time,
  createdTo: time,
  updatedFrom: time,
  updatedTo: time,
  sort: oneOf(SORTS),
  dir: oneOf(["asc", "desc"] as const),
  selected: z.coerce.number().int().positive().optional().catch(undefined),
});
export type InboxSearch = z.infer<typeof InboxSearch>;

/** What the list asks the API for: the URL's filters, with the default view (`mine`) spelt out. */
export function filtersOf(search: InboxSearch): TicketFilters {
  const { selected: _selected, ...filters } = search;
  return { ...filters, view: search.view ?? "mine" };
}

/** How many filters (besides the view and the sort) are set: the filter bar says so and offers to clear them. */
export function activeFilterCount(search: InboxSearch): number {
  const { view: _v, sort: _s, dir: _d, selected: _sel, ...rest } = search;
  return Object.values(rest).filter((v) => v !== undefined && !(Array.isArray(v) && v.length === 0)).length;
}
