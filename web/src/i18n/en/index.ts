// The English catalogue: every text the app shows. One file per area keeps parallel work apart; a
// translation is a folder with the same keys (e.g. \`fr/\`), registered in \`../index.ts\`.
// Placeholders are \`{name}\`; plural forms are separate keys (\`….one\`, \`….other\`).
import { common } from "./common";
import { inbox } from "./inbox";
import { ticket } from "./ticket";
import { escalation } from "./escalation";
import { board } from "./board";
import { admin } from "./admin";
import { policy } from "./policy";
import { portal } from "./portal";

export const en = { ...common, ...inbox, ...ticket, ...escalation, ...board, ...admin, ...policy, ...portal } as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
