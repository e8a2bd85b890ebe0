import { z } from "zod";
import { createMailbox } from "../../commands/create-mailbox.js";
import { deleteMailbox } from "../../commands/delete-mailbox.js";
import { updateMailbox } from "../../commands/update-mailbox.js";
import { MailboxUnreachableError, pollMailbox } from "../../channels/email/inbound/imap-poller.js";
import type { Mailbox } from "../../db/schema.js";
import { AppError } from "../../domain/errors.js";
import { getMailbox, listMailboxes } from "../../queries/mailbox.queries.js";
import { IdParams, pageOf, PageQuery, Problem } from "../../schemas/common.js";
import { CreateMailboxBody, MailboxDto, PollResultDto, UpdateMailboxBody } from "../../schemas/mailbox.schemas.js";
import { contextOf } from "../auth.plugin.js";
import { presentPage } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/** A mailbox as the API shows it: the IMAP password never leaves the store, only whether one is set. */
const presentMailbox = ({ imapPassword, ...m }: Mailbox) => ({ ...m, hasImapPassword: imapPassword !== null, createdAt: m.createdAt.toISOString() });

/** Inbound mailboxes (admins): their addresses, teams and IMAP accounts, and polling one now. */
export function mailboxRoutes(app: ZodApp, { store, clock, config }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const tags = ["email"];

  app.post("/mailboxes", {
    schema: {
      tags,
      summary: "Add an inbound mailbox",
      description: "Mail to its address (through the SMTP listener, or polled from its IMAP folder) opens tickets on its team, or the default intake team.",
      body: CreateMailboxBody,
      response: { 201: MailboxDto, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req, reply) => reply.code(201).send(presentMailbox(await createMailbox(ctx(req), req.body))),
  });
  app.get("/mailboxes", {
    schema: { tags, summary: "The mailboxes, by name", querystring: PageQuery, response: { 200: pageOf(MailboxDto), ...problems(400, 401, 403) } },
    handler: async (req) => presentPage(await listMailboxes(ctx(req), req.query), presentMailbox),
  });
  app.get("/mailboxes/:id", {
    schema: { tags, summary: "One mailbox", params: IdParams, response: { 200: MailboxDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => presentMailbox(await getMailbox(ctx(req), req.params.id)),
  });
  app.patch("/mailboxes/:id", {
    schema: {
      tags,
      summary: "Change a mailbox",
      description: "imapPassword: a new one replaces the stored one, null removes it, absent keeps it. Another IMAP host, user or folder is polled from its first message.",
      params: IdParams,
      body: UpdateMailboxBody,
      response: { 200: MailboxDto, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req) => presentMailbox(await updateMailbox(ctx(req), req.params.id, req.body)),
  });
  app.delete("/mailboxes/:id", {
    schema: {
      tags,
      summary: "Delete a mailbox that has taken no mail in (otherwise switch it off with active: false)",
      params: IdParams,
      response: { 204: z.undefined(), ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req, reply) => {
      await deleteMailbox(ctx(req), req.params.id);
      return reply.code(204).send();
    },
  });
  app.post("/mailboxes/:id/poll", {
    schema: {
      tags,
      summary: "Poll the mailbox's IMAP folder now",
      description: "Takes in every message above the last UID taken and answers what became of them. 502 when the IMAP server cannot be reached or refuses the login.",
      params: IdParams,
      response: { 200: PollResultDto, ...problems(400, 401, 403, 404, 409), 502: Problem },
    },
    handler: async (req) => {
      const mailbox = await getMailbox(ctx(req), req.params.id);
      if (!mailbox.imapHost) throw new AppError("mailbox_not_imap", `Mailbox ${mailbox.name} has no IMAP account to poll.`);
      try {
        return await pollMailbox({ db: store.db, clock, maxAttachmentBytes: config.mailMaxAttachmentBytes }, mailbox.id);
      } catch (err) {
        if (err instanceof MailboxUnreachableError) throw new AppError("mailbox_unreachable", err.message);
        throw err;
      }
    },
  });
}
