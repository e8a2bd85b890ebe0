/**
 * Every text the app shows, in English. A translation is a copy of this file with the same keys
 * (`fr.ts`), registered in `index.ts`. Placeholders are `{name}`; plural forms are separate keys.
 */
export const en = {
  "app.name": "Tierline",
  "app.loading": "Loading…",
  "app.retry": "Try again",
  "app.skipToContent": "Skip to content",
  "app.notFound": "There is nothing at this address.",
  "app.backHome": "Back to the start",

  "nav.main": "Main navigation",
  "nav.inbox": "Inbox",
  "nav.board": "Board",
  "nav.approvals": "Approvals",
  "nav.admin": "Admin",
  "nav.reports": "Reports",
  "nav.portal": "My tickets",
  "nav.account": "Account",
  "nav.logOut": "Log out",
  "nav.openMenu": "Open navigation",
  "nav.colorScheme": "Switch light and dark",
  "nav.commandPalette": "Search and commands (Ctrl+K)",

  "login.title": "Log in to Tierline",
  "login.email": "Email",
  "login.password": "Password",
  "login.submit": "Log in",
  "login.failed": "That email and password do not match an account.",
  "login.customerHint": "Customers: use the portal to sign in with a link by email.",
  "login.portalLink": "Go to the customer portal",

  "problem.network": "The server could not be reached. Check your connection and try again.",
  "problem.unauthenticated": "Your session has ended. Log in again.",
  "problem.forbidden": "You may not do that.",
  "problem.notFound": "That no longer exists, or you may not see it.",
  "problem.conflict": "Someone changed this meanwhile. Reload to see their change.",
  "problem.rateLimited": "Too many attempts. Wait a minute and try again.",
  "problem.validation": "Some fields need attention.",
  "problem.server": "Something went wrong on the server. Try again; if it keeps failing, tell your admin.",
  "problem.title": "Could not complete that",
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
