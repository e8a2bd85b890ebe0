import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type * as authority from "../../../src/schemas/authority.schemas";
import { apiFetch } from "./client";
import type { Page } from "./types";

export type Resolution = z.infer<typeof authority.ResolutionDto>;
export type ResolutionBody = z.input<typeof authority.CreateResolutionBody>;
export type ResolutionType = Resolution["type"];

/** A ticket's resolutions with their approvals, oldest first (the first 200: a ticket has a handful). */
export const resolutionsQuery = (ticketId: string) =>
  queryOptions({
    queryKey: ["ticket", ticketId, "resolutions"] as const,
    queryFn: async () => (await apiFetch<Page<Resolution>>("GET", `/tickets/${ticketId}/resolutions?limit=200`)).data,
  });

/** Grants a refund, credit, replacement or goodwill gesture; above the caller's limit it waits for approval. */
export const createResolution = (ticketId: string, body: ResolutionBody) => apiFetch<Resolution>("POST", `/tickets/${ticketId}/resolutions`, { body });
