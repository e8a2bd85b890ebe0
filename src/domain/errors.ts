/**
 * The one catalogue of error codes. Each code maps to exactly one HTTP status in `httpStatusOf`; adding a
 * code without mapping it is a type error.
 */
export type ErrorCode =
  | "validation_failed"
  | "malformed_request"
  | "unsupported_media_type"
  | "payload_too_large"
  | "uri_too_long"
  | "headers_too_large"
  | "unauthenticated"
  | "invalid_credentials"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "rate_limited"
  | "ticket_not_found"
  | "team_not_found"
  | "level_not_found"
  | "agent_not_found"
  | "customer_not_found"
  | "account_not_found"
  | "escalation_not_found"
  | "calendar_not_found"
  | "sla_policy_not_found"
  | "approval_not_found"
  | "level_exists"
  | "team_exists"
  | "agent_exists"
  | "customer_exists"
  | "account_exists"
  | "calendar_exists"
  | "sla_policy_exists"
  | "no_frontline_team"
  | "ticket_closed"
  | "ticket_not_escalatable"
  | "escalation_target_invalid"
  | "no_higher_level"
  | "escalation_already_acknowledged"
  | "escalation_closed"
  | "no_active_escalation"
  | "assignee_not_in_team"
  | "calendar_never_open"
  | "approval_decided"
  | "no_approver"
  | "rule_not_found"
  | "rule_exists"
  | "escalation_request_not_found"
  | "chat_conversation_not_found"
  | "verification_token_invalid"
  | "verification_token_expired"
  | "verification_token_used"
  | "sign_in_link_invalid"
  | "sign_in_link_expired"
  | "sign_in_link_used"
  | "escalation_request_open"
  | "escalation_request_too_early"
  | "escalation_request_decided"
  | "escalation_request_limit_reached"
  | "mailbox_not_found"
  | "mailbox_exists"
  | "mailbox_in_use"
  | "mailbox_not_imap"
  | "mailbox_unreachable"
  | "inbound_mail_not_found"
  | "inbound_mail_not_quarantined"
  | "attachment_not_found"
  | "policy_invalid"
  | "policy_conflict"
  | "policy_changed"
  | "email_template_not_found"
  | "template_placeholder_unknown"
  | "template_syntax_invalid"
  | "webhook_not_found"
  | "delivery_not_found"
  | "api_token_not_found"
  | "delivery_not_dead"
  | "not_ready"
  | "ticket_changed"
  | "canned_reply_not_found"
  | "canned_reply_exists"
  | "internal_error";

/** A failing field; a policy file's errors also carry their 1-based line and column. */
export type FieldIssue = { path: string; message: string; line?: number; column?: number };

/** An expected failure of a request: it carries a catalogue code and, for validation, the failing fields. */
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldIssue[],
    /** Members added to the problem body beside the standard ones (e.g. `changes` of `ticket_changed`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${String(x)}`);
}

/** The HTTP status of each error code. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case "validation_failed":
    case "malformed_request":
    case "template_placeholder_unknown":
    case "template_syntax_invalid":
    case "verification_token_invalid":
    case "sign_in_link_invalid":
      return 400;
    case "unauthenticated":
    case "invalid_credentials":
    case "sign_in_link_expired":
    case "sign_in_link_used":
      return 401;
    case "forbidden":
      return 403;
    case "not_found":
    case "ticket_not_found":
    case "team_not_found":
    case "level_not_found":
    case "agent_not_found":
    case "customer_not_found":
    case "account_not_found":
    case "escalation_not_found":
    case "rule_not_found":
    case "calendar_not_found":
    case "sla_policy_not_found":
    case "approval_not_found":
    case "escalation_request_not_found":
    case "chat_conversation_not_found":
    case "webhook_not_found":
    case "delivery_not_found":
    case "api_token_not_found":
    case "mailbox_not_found":
    case "inbound_mail_not_found":
    case "attachment_not_found":
    case "email_template_not_found":
    case "canned_reply_not_found":
      return 404;
    case "level_exists":
    case "rule_exists":
    case "team_exists":
    case "agent_exists":
    case "customer_exists":
    case "account_exists":
    case "calendar_exists":
    case "sla_policy_exists":
    case "no_frontline_team":
    case "ticket_closed":
    case "ticket_not_escalatable":
    case "no_higher_level":
    case "escalation_already_acknowledged":
    case "escalation_closed":
    case "no_active_escalation":
    case "approval_decided":
    case "escalation_request_open":
    case "escalation_request_too_early":
    case "escalation_request_decided":
    case "delivery_not_dead":
    case "mailbox_exists":
    case "mailbox_in_use":
    case "mailbox_not_imap":
    case "inbound_mail_not_quarantined":
    case "policy_conflict":
    case "verification_token_used":
    case "ticket_changed":
    case "canned_reply_exists":
      return 409;
    case "verification_token_expired":
      return 410;
    case "escalation_target_invalid":
    case "assignee_not_in_team":
    case "calendar_never_open":
    case "no_approver":
    case "policy_invalid":
      return 422;
    case "policy_changed":
      return 412;
    case "method_not_allowed":
      return 405;
    case "payload_too_large":
      return 413;
    case "uri_too_long":
      return 414;
    case "unsupported_media_type":
      return 415;
    case "headers_too_large":
      return 431;
    case "rate_limited":
    case "escalation_request_limit_reached":
      return 429;
    case "internal_error":
      return 500;
    case "mailbox_unreachable":
      return 502;
    case "not_ready":
      return 503;
    default:
      return assertNever(code);
  }
}

/** A short human title for each status class, used as the problem `title`. */
export function titleOf(code: ErrorCode): string {
  return code
    .split("_")
    .map((w, i) => (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(" ");
}

export const notFound = (
  code: Extract<ErrorCode, `${string}_not_found`>,
  what: string,
  id: string,
): AppError => new AppError(code, `${what} ${id} does not exist or is not visible to you.`);
