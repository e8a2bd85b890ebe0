import type { Channel, CustomerTier, EscalationReason, Priority } from "../domain/vocabulary.js";

/**
 * The words of the demo: the support organisation of Brightpath, a (fictional) maker of smart-home
 * devices with an app subscription, serving households and businesses (hotels, property managers,
 * offices). Texts use {placeholders} that the planner fills per ticket; see `TicketVars`.
 */

export const DEMO_COMPANY = "Brightpath";

export type Category = "billing" | "technical" | "account" | "shipping" | "returns" | "general";

/** The values a ticket's texts may refer to. */
export type TicketVars = {
  first: string;
  company: string;
  order: string;
  invoice: string;
  amount: string;
  device: string;
  plan: string;
  firmware: string;
  error: string;
  carrier: string;
  tracking: string;
  ref: string;
  date: string;
  count: string;
  site: string;
  last4: string;
  year: string;
};

/** One kind of customer issue and how support typically handles it. */
export type Scenario = {
  category: Category;
  subjects: string[];
  description: string;
  priority: Priority;
  /** Only customers of a business account raise this. */
  business?: boolean;
  /** Only customers on these tiers raise this (large sites, integrations). */
  tiers?: CustomerTier[];
  channels?: Channel[];
  tags: string[];
  /** The frontline's first reply; a question here may put the ticket on pending until the customer answers. */
  reply: string;
  question?: { ask: string; answer: string };
  /** The frontline's closing reply when it solves the issue alone. */
  solve: string;
  /** The frontline parks the ticket on hold while waiting for something outside (a parcel, a carrier); `update` then closes it. */
  hold?: Hold;
  /** A functional escalation to a specialist team. */
  specialist?: {
    team: "billing" | "technical";
    chance: number;
    reason: EscalationReason;
    handover: string;
    note: string;
    reply: string;
    /** The de-escalation note when the specialist hands the ticket back, and the frontline's final reply. */
    handBack: string;
    wrapUp: string;
    /** The specialist parks the ticket on hold while waiting for a fix. */
    hold?: Hold;
  };
  /** A hierarchical escalation to management (from the frontline, or from the specialist team if it was there). */
  management?: Management;
  /** The customer comes back after resolution. */
  reopen?: { chance: number; message: string; fix: string };
};

/** Waiting on something outside support: a public notice, the ticket on hold with a note, and an update days later. */
export type Hold = { chance: number; days: [number, number]; notice: string; note: string; update: string };

/**
 * A hierarchical escalation. A `final` decision settles the case (its reply is the last word to the
 * customer); otherwise management steps in, replies, and hands the work back to the team it came from.
 */
export type Management = { chance: number; reason: EscalationReason; handover: string; decision: string; reply: string; final: boolean };

export const SCENARIOS: Scenario[] = [
  // ---------------------------------------------------------------- billing
  {
    category: "billing",
    subjects: ["Charged twice for my {plan} subscription", "Double charge on my card this month", "Why was I billed two times?"],
    description:
      "Hello,\n\nmy card statement shows two charges of €{amount} on {date}, both for the {plan} plan. I only have one subscription. Please refund the duplicate.\n\nThanks,\n{first}",
    priority: "normal",
    tags: ["refund", "duplicate-charge"],
    reply: "Thank you for letting us know, and sorry for the trouble. I can see both payments of €{amount} in our payment log and I'm looking into why the renewal ran twice.",
    solve: "The second charge was only a pre-authorisation that your bank has now released; it will disappear from your statement within a few days. No refund is needed.",
    specialist: {
      team: "billing",
      chance: 0.75,
      reason: "needs_expertise",
      handover: "Customer shows two charges of €{amount} for {plan} on {date}; I confirmed both captured in the payment log (not a pre-auth). Needs a refund of the duplicate, which L1 cannot issue.",
      note: "Renewal job retried after a gateway timeout and captured twice. Refunding the second capture; reference RF-{ref}.",
      reply: "I have refunded the duplicate charge of €{amount} (reference RF-{ref}). Depending on your bank it shows on your card within 5–7 business days. Sorry for the inconvenience.",
      handBack: "Duplicate capture refunded as RF-{ref}. Please confirm to the customer and close.",
      wrapUp: "Our billing team has refunded the duplicate charge of €{amount} (reference RF-{ref}). You'll see it on your card within 5–7 business days.",
    },
    reopen: {
      chance: 0.15,
      message: "I still don't see the refund of €{amount} on my card. Can you check?",
      fix: "I checked with our payment provider: the refund RF-{ref} was paid out on their side; your bank lists it as 'Brightpath reversal'. If it is still missing tomorrow, your bank can trace it with that reference.",
    },
  },
  {
    category: "billing",
    subjects: ["Invoice {invoice} shows the wrong VAT number", "Please correct VAT ID on invoice {invoice}"],
    description:
      "Dear Brightpath team,\n\ninvoice {invoice} for {company} carries an outdated VAT ID. Our finance department cannot book it like this. Could you issue a corrected invoice?\n\nBest regards,\n{first}\n{company}",
    priority: "normal",
    business: true,
    channels: ["email", "web"],
    tags: ["invoice", "vat"],
    reply: "Thanks for the heads-up. Corrected invoices are issued by our billing team, so I'm passing this on with the details.",
    question: {
      ask: "Could you send us the current VAT ID exactly as it should appear on the invoice?",
      answer: "Of course — the correct VAT ID is DE{ref}. The company address stays the same.",
    },
    solve: "I've updated the VAT ID in your account settings so future invoices carry the correct number.",
    specialist: {
      team: "billing",
      chance: 1,
      reason: "needs_expertise",
      handover: "{company} needs invoice {invoice} reissued with the new VAT ID (in the customer's last message). Account settings not yet updated.",
      note: "Cancelled {invoice} with a credit note and reissued it; VAT ID updated on the account too.",
      reply: "I've issued a credit note for {invoice} and a corrected invoice with your new VAT ID; both are attached in the billing portal under Documents. Future invoices will use the new number.",
      handBack: "Credit note and corrected invoice issued; account VAT ID updated. Frontline can confirm and close.",
      wrapUp: "The corrected invoice and the credit note for {invoice} are now in your billing portal under Documents.",
    },
  },
  {
    category: "billing",
    subjects: ["Refund for cancelled order {order} not received", "Where is my refund for order {order}?"],
    description:
      "Hi,\n\nI cancelled order {order} on {date} and got a confirmation, but the €{amount} has not come back to my account yet.\n\n{first}",
    priority: "normal",
    tags: ["refund"],
    reply: "I'm sorry the refund hasn't reached you yet. I'm checking the status of order {order} with our payments system now.",
    solve: "The refund of €{amount} for order {order} was sent on {date}; bank transfers can take up to 10 business days. You'll find it on your statement as 'Brightpath {order}'.",
    specialist: {
      team: "billing",
      chance: 0.5,
      reason: "needs_expertise",
      handover: "Order {order} cancelled on {date}, refund of €{amount} shows 'pending' in the shop backend for over a week. Needs a manual refund check.",
      note: "Refund was stuck because the original card expired. Paid out by bank transfer instead.",
      reply: "The refund was held because the card you paid with has expired. I've sent the €{amount} by bank transfer instead; it should arrive within two business days.",
      handBack: "Refund re-issued by bank transfer (card expired). Please let the customer know.",
      wrapUp: "Our billing team has re-issued your €{amount} refund by bank transfer, because the original card had expired. It should arrive within two business days.",
    },
  },
  {
    category: "billing",
    subjects: ["Question about prorated charge after upgrading to {plan}", "Upgrade to {plan}: what will I pay?"],
    description:
      "Hello,\n\nI upgraded to {plan} in the middle of my billing period and now see a charge of €{amount}. How was that calculated?\n\nCheers,\n{first}",
    priority: "low",
    tags: ["subscription"],
    reply: "Good question — let me look at your subscription history so I can explain the amount exactly.",
    solve: "When you upgrade mid-cycle we charge the difference for the remaining days only: €{amount} covers the rest of this month on {plan}. From next month you'll pay the regular {plan} price.",
  },
  {
    category: "billing",
    subjects: ["Payment keeps failing although my card is fine", "Card declined on renewal"],
    description:
      "Hi,\n\nthe app says my {plan} renewal payment failed and my features will be limited. My card ending in {last4} works everywhere else.\n\n{first}",
    priority: "high",
    tags: ["payment"],
    reply: "Sorry about that — I'm checking the decline reason from our payment provider right away. Your features stay active while we sort this out.",
    question: {
      ask: "Did your bank ask you to confirm the payment in their app (3-D Secure)? Sometimes that request expires unnoticed.",
      answer: "Ah, I did get a notification but ignored it. Should I just try again?",
    },
    solve: "Yes — I've triggered a new payment attempt; please confirm it in your banking app. Once it goes through, your {plan} subscription renews as normal.",
    specialist: {
      team: "billing",
      chance: 0.2,
      reason: "needs_expertise",
      handover: "Renewal for card {last4} declined three times with 'do not honor'; customer confirmed 3-D Secure. Can billing check with the provider?",
      note: "Provider shows our merchant category blocked by the issuing bank's fraud rule. Switched customer to a payment link.",
      reply: "Your bank's fraud filter blocked our charges. I've sent you a one-time payment link; once paid, your subscription continues without interruption.",
      handBack: "Payment link sent; nothing else needed from L1 except closing once paid.",
      wrapUp: "The payment went through via the payment link our billing team sent. Thank you for your patience!",
    },
    reopen: {
      chance: 0.12,
      message: "The payment failed again this morning, same card.",
      fix: "This time your bank's fraud filter blocked it. I've sent you a one-time payment link that isn't affected; your subscription stays active in the meantime.",
    },
  },
  {
    category: "billing",
    subjects: ["Charged after cancelling my subscription", "You billed me after I cancelled!"],
    description:
      "I cancelled my {plan} subscription last month and today I was charged €{amount} again. This is not acceptable. I want my money back and an explanation.\n\n{first}",
    priority: "high",
    tags: ["refund", "cancellation", "complaint"],
    reply: "I completely understand your frustration, and I'm sorry. I'm checking your cancellation and this charge right now.",
    solve: "I found your cancellation request: it was submitted but not confirmed because the final step timed out. I've completed the cancellation and refunded the €{amount} charge.",
    specialist: {
      team: "billing",
      chance: 0.6,
      reason: "complaint",
      handover: "Customer cancelled {plan} but was charged €{amount}; cancellation shows as 'requested', never confirmed. Customer is upset; refund plus goodwill probably needed.",
      note: "Cancellation bug confirmed (timeout on confirmation step). Refund issued; a goodwill credit over my limit needs approval.",
      reply: "I've refunded the €{amount} and confirmed your cancellation. I'm sorry the cancellation didn't go through the first time.",
      handBack: "Refunded and cancellation confirmed. Back to frontline for the final word with the customer.",
      wrapUp: "Your refund of €{amount} is on its way and your subscription is cancelled for good. We've also fixed the step that failed for you.",
    },
    management: {
      chance: 0.35,
      reason: "authority_required",
      handover: "Charged €{amount} after cancelling; customer threatens a chargeback and a public review. Requesting approval for a goodwill credit of three months.",
      decision: "Approved: refund plus three months' credit as goodwill.",
      reply: "I've refunded the €{amount}, confirmed your cancellation and, as an apology, added three months of credit to your account. We're sorry for the trouble.",
      final: true,
    },
  },
  {
    category: "billing",
    subjects: ["All invoices for {year} needed for our audit", "Request: invoice copies for {company}"],
    description:
      "Hello,\n\nour auditors need copies of every Brightpath invoice for {company} from {year}. Is there a way to download them all at once?\n\nKind regards,\n{first}",
    priority: "low",
    business: true,
    channels: ["email", "web", "api"],
    tags: ["invoice"],
    reply: "Happy to help with that.",
    solve: "In the billing portal, go to Documents → Invoices, filter by year and choose 'Download all (ZIP)'. I've also attached a list of all {count} invoices for {company} in {year}.",
  },
  // ---------------------------------------------------------------- technical
  {
    category: "technical",
    subjects: ["{device} offline since the last update", "{device} shows offline in the app", "My {device} won't reconnect after firmware update"],
    description:
      "Hi,\n\nsince the update on {date} my {device} shows as offline in the app. I have restarted it and the router, no change.\n\n{first}",
    priority: "normal",
    tags: ["firmware", "connectivity"],
    reply: "Thanks for the details and for trying a restart already. Let's get your {device} back online.",
    question: {
      ask: "Could you tell me the firmware version shown in the app under Settings → Device info, and whether the LED blinks orange?",
      answer: "It says {firmware} and yes, the light blinks orange every few seconds.",
    },
    solve: "Please hold the button on the back for 10 seconds until the LED turns white, then add the device again in the app. That clears the stale Wi-Fi credentials the update kept.",
    specialist: {
      team: "technical",
      chance: 0.55,
      reason: "needs_expertise",
      handover: "{device} offline after update to {firmware}; power cycle and Wi-Fi reset done, still offline. Orange blink = cloud connection failure. Needs device log pull.",
      note: "Logs show TLS handshake failures to the cloud endpoint after {firmware} — matches known issue FW-311.",
      reply: "We found the cause: {firmware} has a certificate problem on some units. I've pushed a corrected firmware to your {device}; it should come online within 15 minutes.",
      handBack: "Corrected firmware pushed remotely; device is back online per our logs. Frontline please confirm with the customer.",
      wrapUp: "Our engineers pushed a corrected firmware to your {device} and it is online again on our side. Could you check the app?",
      hold: {
        chance: 0.5,
        days: [2, 9],
        notice: "We've found the cause, and the fix is part of the next firmware release. I'm putting this ticket on hold and will update you as soon as it is out.",
        note: "Fix for FW-311 is scheduled in the next firmware release. Putting this on hold until it ships.",
        update: "The fixed firmware has been released and installed on your {device}; it is back online. Thank you for your patience.",
      },
    },
    reopen: {
      chance: 0.15,
      message: "It worked for two days, but the {device} is offline again since this morning.",
      fix: "I've re-sent the configuration and the device reconnected. We'll keep an eye on it for the next few days.",
    },
  },
  {
    category: "technical",
    subjects: ["App crashes when I open the camera live view", "Live view of my Indoor Camera C2 crashes the app"],
    description:
      "Every time I tap on the live view of my Indoor Camera C2 the app closes. Other screens work fine. Phone is up to date.\n\n{first}",
    priority: "normal",
    channels: ["web", "email", "chat", "social"],
    tags: ["app", "crash"],
    reply: "Sorry about the crashes — thanks for reporting them.",
    question: {
      ask: "Which phone model and app version do you use (Settings → About in the app)?",
      answer: "Pixel 8, app version 5.14.2.",
    },
    solve: "App version 5.14.3, released today, fixes the live-view crash on Android 15. Please update from the store and let us know if it still happens.",
    specialist: {
      team: "technical",
      chance: 0.35,
      reason: "needs_expertise",
      handover: "Live view crash on app 5.14.2, Pixel 8 / Android 15. Reproducible per customer; no known issue matches. Crash ID in the app logs.",
      note: "Crash traced to the new video decoder on Android 15; fix merged for 5.14.3.",
      reply: "We found the bug: a video decoder change in 5.14.2. Version 5.14.3 with the fix is now in the store.",
      handBack: "Root cause found and fixed in 5.14.3 (now released). Please ask the customer to update.",
      wrapUp: "Our engineers fixed the crash in app version 5.14.3 — please update and live view should work again.",
    },
  },
  {
    category: "technical",
    subjects: ["Thermostat ignores the weekend schedule", "Heating schedule not followed on Saturdays"],
    description:
      "The thermostat follows the weekday schedule on Saturday and Sunday as well, so the house is cold in the morning. I set a separate weekend schedule in the app.\n\n{first}",
    priority: "low",
    tags: ["thermostat", "schedule"],
    reply: "Thanks for writing in — let's check your schedule settings together.",
    solve: "Your weekend schedule was saved but not activated: in the app, open Schedules, pick 'Weekend' and tap 'Use on Sat–Sun'. I've double-checked that it now shows as active.",
    specialist: {
      team: "technical",
      chance: 0.15,
      reason: "needs_expertise",
      handover: "Weekend schedule is active in the app but the thermostat still runs the weekday programme. Time zone on device looks right.",
      note: "Device time zone was cached as UTC from setup; corrected remotely.",
      reply: "Your thermostat was still set to UTC from the initial setup, so its 'weekend' started at the wrong time. I've corrected it remotely.",
      handBack: "Time zone fixed remotely; nothing else to do.",
      wrapUp: "Our technical team corrected the time zone on your thermostat, so the weekend schedule now starts at the right time.",
    },
  },
  {
    category: "technical",
    subjects: ["API returns 500 on /v2/devices", "Integration broken: HTTP 500 from the devices API"],
    description:
      "Since {date} our building-management integration gets HTTP 500 from GET /v2/devices for about a third of the requests. Request IDs in the attached log. This affects {count} units at {site}.\n\n{first}, {company}",
    priority: "high",
    business: true,
    tiers: ["vip", "priority"],
    channels: ["api", "email"],
    tags: ["api", "integration"],
    reply: "Thank you for the request IDs — that helps a lot. I'm checking them against our API logs.",
    solve: "The errors came from requests with a page size above 500, which the API no longer accepts. With limit=200 and the cursor the calls succeed; we'll return a clear 400 instead of 500 in the next release.",
    specialist: {
      team: "technical",
      chance: 0.8,
      reason: "needs_expertise",
      handover: "{company}'s integration gets 500s from GET /v2/devices (~30% of calls since {date}); request IDs in the ticket. Not a known incident. Needs API engineering.",
      note: "A slow query on accounts with many devices times out at 10 s. Index added; error rate back to zero for this account.",
      reply: "We found the cause: a slow database query for accounts with many devices. We've deployed a fix and your error rate has been zero for the last hour.",
      handBack: "Fix deployed, error rate zero for this account. Back to frontline to confirm with the customer.",
      hold: {
        chance: 0.35,
        days: [1, 4],
        notice: "We've found the cause: a slow query for accounts with many devices. A fix is scheduled for our next deployment; I'm putting this ticket on hold until it is live.",
        note: "Index migration scheduled with the next deployment window.",
        update: "The fix is deployed and your error rate has been zero since. Thank you for the detailed report.",
      },
      wrapUp: "Our engineers deployed a fix for the slow device listing; your integration has run without errors since. Please let us know if you see anything unusual.",
    },
    management: {
      chance: 0.25,
      reason: "vip_impact",
      handover: "Integration outage for {company} continues (>1 day), {count} units at {site} affected; customer mentions their SLA with their tenants. Needs management attention and a status call.",
      decision: "Called the customer's operations lead; agreed on daily updates until fixed. Engineering prioritised.",
      reply: "Thank you for your patience — we've made this our top priority and will send you an update every day until it is fully resolved.",
      final: false,
    },
  },
  {
    category: "technical",
    subjects: ["Door sensor battery drains within two weeks", "Battery empty again on my door sensor"],
    description:
      "My door sensor needs a new battery every two weeks. The manual says it should last a year.\n\n{first}",
    priority: "low",
    tags: ["battery", "sensor"],
    reply: "That's far too short — sorry about that. Let's find out what is draining it.",
    solve: "Your sensor was set to report every 10 seconds (the 'live' mode used for testing). I've switched it back to normal reporting, which gives the expected battery life of about a year.",
    specialist: {
      team: "technical",
      chance: 0.25,
      reason: "needs_expertise",
      handover: "Door sensor drains a battery in ~2 weeks; reporting interval is normal. Possibly faulty unit or mesh retry storm.",
      note: "Sensor retries constantly because the nearest repeater is out of range. Recommended moving the hub or adding a repeater.",
      reply: "The sensor can barely reach your hub and keeps retrying, which drains the battery. A plug-in repeater between them solves it; we're sending you one free of charge.",
      handBack: "Range issue; repeater sent free of charge (order created). Nothing else open.",
      wrapUp: "Our technical team found the sensor was out of range of the hub. A free repeater is on its way to you.",
    },
  },
  {
    category: "technical",
    subjects: ["Hub cannot pair new devices (error {error})", "Pairing fails with error {error}"],
    description:
      "I'm trying to add a new {device} to my hub and pairing always fails with error {error}.\n\nThanks,\n{first}",
    priority: "normal",
    tags: ["pairing"],
    reply: "Thanks for reporting the error code — that narrows it down.",
    question: {
      ask: "How far is the new device from the hub while pairing, and how many devices are already connected?",
      answer: "About two metres away. There are {count} devices on the hub.",
    },
    solve: "Error {error} means the hub's device table is full for the older firmware. I've updated your hub remotely; after a restart pairing works again.",
    specialist: {
      team: "technical",
      chance: 0.4,
      reason: "needs_expertise",
      handover: "Pairing fails with {error}, device 2 m away, {count} devices on hub. Hub firmware current. Needs the pairing logs.",
      note: "Hub has a corrupted entry in its device table; cleared it remotely.",
      reply: "A damaged entry in your hub's device list blocked pairing. I've cleaned it up remotely; pairing should work now.",
      handBack: "Corrupted device table entry removed; pairing works in our test. Please confirm with the customer.",
      wrapUp: "Our technical team repaired your hub's device list remotely, so you can pair the {device} now.",
    },
  },
  {
    category: "technical",
    subjects: ["All devices at {site} offline", "URGENT: every Brightpath device in our building is offline"],
    description:
      "Since about an hour ago all {count} Brightpath devices at our {site} location are offline. Guests cannot control heating and door locks. Please help immediately.\n\n{first}, {company}",
    priority: "urgent",
    business: true,
    tiers: ["vip", "priority"],
    channels: ["phone", "email", "api"],
    tags: ["outage"],
    reply: "We are on it. I've alerted our technical team and will keep you updated within the hour.",
    solve: "The local gateway at {site} lost its configuration after a power cut; we've restored it remotely and all devices are back online.",
    specialist: {
      team: "technical",
      chance: 0.95,
      reason: "outage",
      handover: "All {count} devices at {company} {site} offline since ~1 h; gateway unreachable from our side. Door locks affected, guests impacted. Urgent.",
      note: "Regional cloud broker for this site lost its connection after a failed deploy; rolled back. Devices reconnecting.",
      reply: "The cause was a faulty update on one of our servers. We rolled it back and your devices at {site} are reconnecting now; all should be online within 15 minutes.",
      handBack: "Broker rollback done; all devices online. Frontline to confirm with the customer and close.",
      wrapUp: "All devices at {site} are back online. We're sorry for the disruption; a short incident report follows by e-mail.",
    },
    management: {
      chance: 0.6,
      reason: "vip_impact",
      handover: "Full outage at {company} {site} ({count} devices, door locks). Customer is a key account; they ask for a manager and an incident report.",
      decision: "Spoke to the customer's COO. Committed to an incident report within 48 h and a service credit for this month.",
      reply: "I've spoken with your COO: you'll receive our incident report within 48 hours, and we're crediting this month's service fee.",
      final: false,
    },
  },
  // ---------------------------------------------------------------- account
  {
    category: "account",
    subjects: ["Password reset e-mail never arrives", "Can't log in — no reset e-mail"],
    description:
      "I forgot my password and requested a reset three times, but no e-mail arrives (checked spam too).\n\n{first}",
    priority: "normal",
    channels: ["web", "chat", "phone", "social"],
    tags: ["login"],
    reply: "Sorry you're locked out — let's get you back in.",
    solve: "Your mailbox provider was rejecting our e-mails. I've sent the reset link again from our backup sender; it should arrive within a few minutes.",
    specialist: {
      team: "technical",
      chance: 0.15,
      reason: "needs_expertise",
      handover: "Reset e-mails to this address bounce ('550 policy rejection'). Backup sender also rejected. Needs mail delivery check.",
      note: "The customer's domain rejects mail without a matching DKIM key; our rotated key wasn't published yet. Fixed DNS.",
      reply: "Our e-mails were rejected because of a signing-key change on our side. That's fixed; I've sent you a fresh reset link.",
      handBack: "Mail delivery fixed (DKIM record). Reset link re-sent.",
      wrapUp: "Our technical team fixed the e-mail delivery problem, and a fresh reset link is on its way to you.",
    },
  },
  {
    category: "account",
    subjects: ["Remove a former employee from our account", "Please revoke access for a user who left {company}"],
    description:
      "Hello,\n\na colleague has left {company}. Please remove their access to our Brightpath account and transfer their devices to me.\n\nRegards,\n{first}",
    priority: "normal",
    business: true,
    channels: ["email", "web"],
    tags: ["users"],
    reply: "Thanks for letting us know — I'll take care of it.",
    question: {
      ask: "For security, could you confirm the e-mail address of the person who left and reply from the account owner's address?",
      answer: "Confirming from the owner address: it's the colleague who was added in January. Their access should go.",
    },
    solve: "The former employee's access has been revoked, their sessions ended, and their {count} devices now belong to you.",
  },
  {
    category: "account",
    subjects: ["Lost the phone with my two-factor app", "2FA reset needed"],
    description:
      "My phone was stolen and with it the authenticator app. I can't log in to my account anymore.\n\n{first}",
    priority: "high",
    channels: ["phone", "web", "email"],
    tags: ["2fa", "login"],
    reply: "Sorry to hear about your phone. We can reset two-factor authentication after verifying your identity.",
    question: {
      ask: "Please reply with the serial number of one of your devices (on the back) and the last four digits of the card on your subscription.",
      answer: "Serial BP-{ref}, card ending {last4}.",
    },
    solve: "Thank you — identity verified. I've reset two-factor authentication; at your next login you'll be asked to set it up again.",
  },
  {
    category: "account",
    subjects: ["Request for a copy of my personal data", "GDPR data access request"],
    description:
      "Under the GDPR I request a copy of all personal data Brightpath holds about me, including device activity logs.\n\n{first}",
    priority: "normal",
    channels: ["email", "web"],
    tags: ["gdpr", "privacy"],
    reply: "Thank you for your request. We'll provide your data within the legal deadline of one month.",
    solve: "Your data export is ready: you'll find a download link in your account under Privacy → My data. The link is valid for 14 days.",
    hold: {
      chance: 0.6,
      days: [2, 6],
      notice: "We've started preparing your data export. It takes a few days to collect everything; I'm putting your request on hold until it is ready.",
      note: "Export job started; waiting for the device-history part.",
      update: "Your data export is ready: you'll find a download link in your account under Privacy → My data. The link is valid for 14 days.",
    },
    management: {
      chance: 0.5,
      reason: "legal_risk",
      handover: "Data access request including raw device activity logs, which the self-service export doesn't cover. Needs the data protection officer's sign-off.",
      decision: "DPO approved including 90 days of device activity; export prepared by engineering.",
      reply: "Your complete data export, including 90 days of device activity, is ready in your account under Privacy → My data.",
      final: true,
    },
  },
  {
    category: "account",
    subjects: ["Suspicious login from another country", "Someone logged into my account?"],
    description:
      "I got an e-mail about a new login from a country I've never been to. I did not do this.\n\n{first}",
    priority: "urgent",
    tags: ["security"],
    reply: "Thank you for reporting this quickly. I've ended all sessions on your account and locked it until you set a new password.",
    solve: "We've secured your account: all sessions ended, a new password is required and we recommend turning on two-factor authentication. Nothing was changed on your devices.",
    specialist: {
      team: "technical",
      chance: 0.7,
      reason: "security",
      handover: "Customer reports a login from an unknown country; sessions ended and account locked. Please review the access logs for device changes.",
      note: "Login used a password from a known breach list. No device commands were sent. Account secured.",
      reply: "We reviewed the logs: the login used your password, probably leaked from another website. No settings or devices were changed. Please choose a new, unique password.",
      handBack: "Logs reviewed; no device commands sent. Credential stuffing. Frontline to walk the customer through 2FA.",
      wrapUp: "Our security check found no changes to your devices. Please set a new password and turn on two-factor authentication under Settings → Security.",
    },
  },
  // ---------------------------------------------------------------- shipping
  {
    category: "shipping",
    subjects: ["Order {order} not delivered yet", "Where is my order {order}?", "Still waiting for order {order}"],
    description:
      "Hi,\n\nI ordered on {date} and the tracking number {tracking} hasn't changed for four days. When will it arrive?\n\n{first}",
    priority: "normal",
    tags: ["delivery"],
    reply: "Sorry for the wait. I've contacted {carrier} about shipment {tracking}.",
    question: {
      ask: "{carrier} says the parcel could not be delivered to the address on file. Could you confirm your full delivery address, including the apartment number?",
      answer: "The apartment number was missing — it's flat 4B. Sorry!",
    },
    solve: "{carrier} has the corrected address and will deliver order {order} tomorrow.",
    hold: {
      chance: 0.35,
      days: [2, 6],
      notice: "I've opened a parcel investigation with {carrier}. They need up to five business days, so I'm putting your ticket on hold and will update you as soon as they report back.",
      note: "Carrier investigation opened for {tracking}.",
      update: "{carrier} could not locate the parcel, so we've sent order {order} again by express. It arrives within two business days.",
    },
    reopen: {
      chance: 0.12,
      message: "The parcel still hasn't come, and the tracking now says 'returned to sender'.",
      fix: "I've sent a new parcel by express with the corrected address; it will arrive within two business days.",
    },
  },
  {
    category: "shipping",
    subjects: ["Package arrived damaged", "{device} box crushed on arrival"],
    description:
      "My {device} (order {order}) arrived today in a crushed box and the device has a cracked case. Photos attached.\n\n{first}",
    priority: "normal",
    channels: ["email", "web", "social"],
    tags: ["damaged"],
    reply: "I'm sorry your {device} arrived damaged, and thank you for the photos.",
    solve: "We're sending a replacement {device} today by {carrier} (tracking follows by e-mail). You don't need to send the damaged one back.",
  },
  {
    category: "shipping",
    subjects: ["Wrong item in order {order}", "Received the wrong product"],
    description: "I ordered a {device} but the box contained something else (order {order}).\n\n{first}",
    priority: "normal",
    tags: ["wrong-item"],
    reply: "Sorry for the mix-up! Let me arrange the right item for you.",
    solve: "The correct {device} is on its way. A prepaid return label for the wrong item is attached; please drop it at any {carrier} point within 30 days.",
  },
  {
    category: "shipping",
    subjects: ["Change delivery address for order {order}", "Can I still change my shipping address?"],
    description: "Hi, I entered my old address for order {order}. Can you change it before it ships?\n\n{first}",
    priority: "high",
    channels: ["chat", "email", "phone"],
    tags: ["address"],
    reply: "Let me check whether order {order} has left our warehouse.",
    solve: "Caught it in time: order {order} now ships to your new address.",
  },
  {
    category: "shipping",
    subjects: ["Third missed delivery — I want compensation", "Delivery failed again for order {order}"],
    description:
      "This is the third time the courier claims nobody was home, although I was. I have taken days off for this. I expect compensation.\n\n{first}",
    priority: "high",
    tags: ["delivery", "complaint"],
    reply: "I'm truly sorry — three failed deliveries is not the experience we want for you. I'm escalating this with {carrier} now.",
    solve: "{carrier} has confirmed a delivery slot with a call ahead tomorrow. As an apology we've refunded your shipping costs.",
    management: {
      chance: 0.5,
      reason: "complaint",
      handover: "Third failed delivery for order {order}; customer took days off work and asks for compensation beyond the shipping refund (above frontline authority).",
      decision: "Approved a €50 voucher on top of the shipping refund; also raised the courier issue with {carrier}'s account manager.",
      reply: "{carrier} has confirmed a delivery slot with a call ahead tomorrow. We've refunded your shipping costs, added a €50 voucher to your account, and raised the repeated failures with {carrier}.",
      final: true,
    },
  },
  // ---------------------------------------------------------------- returns
  {
    category: "returns",
    subjects: ["Return my {device} within 30 days", "I'd like to return a {device}"],
    description: "I bought a {device} two weeks ago (order {order}) and it's not for me. How do I return it?\n\n{first}",
    priority: "low",
    tags: ["return"],
    reply: "No problem — returns within 30 days are free.",
    solve: "A prepaid {carrier} label is attached. Once the {device} arrives at our warehouse, we refund €{amount} within five business days.",
    hold: {
      chance: 0.7,
      days: [3, 8],
      notice: "A prepaid {carrier} label is attached. I'm putting your ticket on hold until the {device} arrives at our warehouse; then we refund you.",
      note: "Waiting for return parcel {tracking}.",
      update: "Your {device} has arrived at our warehouse and we've refunded €{amount}; it reaches your account within five business days.",
    },
    specialist: {
      team: "billing",
      chance: 0.3,
      reason: "needs_expertise",
      handover: "Return of {device} (order {order}) received at the warehouse; order was paid partly with a voucher, so the shop can't refund automatically. Please refund €{amount} manually.",
      note: "Split refund done: voucher restored and €{amount} to the card.",
      reply: "Your return has arrived. We've refunded €{amount} to your card and restored the voucher you used.",
      handBack: "Refund split done (voucher + card). Nothing else open.",
      wrapUp: "Your return is complete: €{amount} refunded to your card and your voucher restored.",
    },
  },
  {
    category: "returns",
    subjects: ["Warranty claim: {device} stopped working", "{device} dead after eight months"],
    description:
      "My {device} stopped working completely; no lights at all. It's eight months old. Is this covered by the warranty?\n\n{first}",
    priority: "normal",
    tags: ["warranty"],
    reply: "Sorry your {device} failed — it is within the two-year warranty.",
    question: {
      ask: "Could you try a different power adapter and tell me if any LED lights up? Please also send the serial number from the back.",
      answer: "Tried another adapter, still nothing. Serial is BP-{ref}.",
    },
    solve: "Thanks for checking. We're sending a replacement {device} under warranty; please return the faulty one with the enclosed label.",
    hold: {
      chance: 0.5,
      days: [3, 7],
      notice: "This is covered by the warranty. Please send the faulty {device} with the enclosed prepaid label; I'm putting your ticket on hold until it reaches us.",
      note: "Waiting for the faulty unit (return {tracking}) before shipping the replacement.",
      update: "We've received your {device} and shipped the replacement with {carrier}; you'll get the tracking number by e-mail.",
    },
    specialist: {
      team: "technical",
      chance: 0.3,
      reason: "needs_expertise",
      handover: "{device} serial BP-{ref} fully dead (no LED, second adapter tried). Check whether it's in the affected batch for the power-board recall.",
      note: "Serial is in batch 24-07 with the faulty power regulator. Replacement approved; batch noted for the recall report.",
      reply: "Your unit belongs to a batch with a known power-board fault. A replacement is on its way, and you can keep the faulty unit's accessories.",
      handBack: "Batch 24-07 confirmed; replacement order created. Frontline to send the shipping details.",
      wrapUp: "Your replacement {device} has shipped with {carrier}; tracking {tracking}.",
    },
  },
  // ---------------------------------------------------------------- general
  {
    category: "general",
    subjects: ["How do I share access with my family?", "Give my partner access to the app"],
    description: "Hi, how can my partner control our devices from their phone too?\n\n{first}",
    priority: "low",
    channels: ["chat", "web", "email", "social"],
    tags: ["how-to"],
    reply: "Great question!",
    solve: "In the app, open Home → Members → Invite and enter your partner's e-mail. They'll get an invitation and can choose which devices they may control.",
  },
  {
    category: "general",
    subjects: ["Feature request: export energy reports as CSV", "Can I download my energy data?"],
    description: "It would be great to export the monthly energy report as CSV for my spreadsheet.\n\n{first}",
    priority: "low",
    channels: ["web", "email", "social"],
    tags: ["feature-request"],
    reply: "Thanks for the suggestion!",
    solve: "I've passed your request to our product team. Meanwhile, the web dashboard offers 'Download data' under Energy → History, which includes CSV.",
  },
  {
    category: "general",
    subjects: ["Bulk pricing for {count} hubs", "Quote request: hubs for our new building at {site}"],
    description:
      "Hello,\n\n{company} is fitting out a new building at {site} and we need about {count} hubs plus sensors. Do you offer volume pricing?\n\n{first}",
    priority: "normal",
    business: true,
    channels: ["email", "web", "phone"],
    tags: ["sales"],
    reply: "Thank you for considering Brightpath for your new building!",
    solve: "I've passed your request to our business sales team, who will send a quote for {count} hubs within two business days.",
    hold: {
      chance: 0.7,
      days: [2, 5],
      notice: "I've asked our business sales team for a quote for {count} hubs and sensors. I'll keep this ticket on hold until they have it ready.",
      note: "Quote requested from business sales for {company}, {count} hubs at {site}.",
      update: "Your quote is attached: volume pricing for {count} hubs plus sensors, valid for 60 days. Our sales team will call you to walk through it.",
    },
  },
];

/** Relative frequency of each category among new tickets. */
export const CATEGORY_WEIGHTS: [Category, number][] = [
  ["technical", 30],
  ["billing", 24],
  ["account", 14],
  ["shipping", 16],
  ["returns", 9],
  ["general", 7],
];

/** A customer who asks for a manager, on any kind of ticket. */
export const MANAGER_REQUEST: Management & { message: string } = {
  chance: 0.15,
  reason: "customer_request",
  final: false,
  message: "I'd like a manager to look at this, please. I need a solution, not more questions.",
  handover: "Customer explicitly asks for a manager; they are frustrated by the back-and-forth. The case so far is in the conversation above.",
  decision: "Called the customer, apologised for the back-and-forth and agreed on the next steps (see my reply).",
  reply: "Thank you for speaking with me today. As agreed, we'll finish this for you without further back-and-forth.",
};

/** The frontline's reply when a customer never answers a question. */
export const NO_ANSWER_CLOSE =
  "We haven't heard back from you, so I'm marking this as solved for now. Just reply to this message if you still need help and the ticket reopens.";

/** Asked with a solution when the agent wants the customer to confirm before resolving. */
export const CONFIRM_ASK = "Let me know if anything is still open; otherwise I'll mark this as solved in a few days.";

/** A customer confirming that the solution worked. */
export const CONFIRMATIONS = [
  "Great, thank you!",
  "All clear now — thanks for the quick help.",
  "Thanks, that's all I needed.",
  "Perfect, thank you for sorting this out.",
  "Much appreciated, thanks.",
];

/** A customer chasing an escalation that waits too long to be picked up. */
export const CHASERS = [
  "Any news on this? I haven't heard back.",
  "Hello? It's been more than a day.",
  "Could someone please give me an update?",
];

/** Internal notes the frontline writes before handing a ticket over. */
export const HANDOVER_PREP_NOTES = [
  "Checked the account history; nothing similar before. Escalating with details.",
  "Tried the standard steps from the knowledge base — no luck.",
  "Customer is polite but needs this soon.",
];

/** Notes the specialist adds on taking an escalation. */
export const PICKUP_NOTES = ["Picking this up.", "On it — reviewing the handover now.", "Taking this one; checking logs."];

export const FIRST_NAMES = [
  "Olivia", "Liam", "Sofia", "Mateo", "Hannah", "Jonas", "Amira", "Noel", "Clara", "Elias", "Ines", "Jakob",
  "Leonie", "Marek", "Nadia", "Oskar", "Paula", "Rafael", "Selin", "Tomas", "Yara", "Finn", "Greta", "Hugo",
  "Ida", "Julian", "Karin", "Luca", "Mila", "Nils", "Wanda", "Ruben", "Sara", "Timo", "Vera", "Aaron",
  "Beatriz", "Chloe", "David", "Elif",
];

export const LAST_NAMES = [
  "Andersen", "Bauer", "Costa", "Dijkstra", "Eriksen", "Fischer", "García", "Horvat", "Ivanova", "Jansen",
  "Kowalski", "Lindberg", "Moreau", "Novak", "O'Brien", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka",
  "Urban", "Varga", "Weber", "Yilmaz", "Zimmermann", "Berg", "Conti", "Laine", "Meyer", "Silva",
];

/** Devices a customer adds to, or has connected to, their Brightpath Hub. */
export const DEVICES = ["Thermostat T3", "Door Sensor", "Indoor Camera C2", "Smart Plug", "Water Leak Sensor", "Smart Lock L1"];
export const PLANS = ["Home Basic", "Home Plus", "Business Pro"];
export const CARRIERS = ["DHL", "UPS", "DPD", "PostNL"];
export const ERROR_CODES = ["E-203", "E-411", "E-517", "P-09"];
export const FIRMWARES = ["4.1.2", "4.1.3", "4.2.0"];

/** Business accounts: name, tier, annual value (EUR), e-mail domain, city of their main site. */
export const ACCOUNTS: [string, CustomerTier, number, string, string][] = [
  ["Harbourview Hotels", "vip", 480_000, "harbourview-hotels.example", "Hamburg"],
  ["Meridian Property Group", "vip", 720_000, "meridian-property.example", "Rotterdam"],
  ["Nordlicht Facilities", "vip", 350_000, "nordlicht-facilities.example", "Oslo"],
  ["Cedar & Stone Offices", "priority", 96_000, "cedarstone.example", "Lyon"],
  ["Bluefjord Apartments", "priority", 74_000, "bluefjord.example", "Bergen"],
  ["Kestrel Co-Working", "priority", 58_000, "kestrel-cowork.example", "Leeds"],
  ["Lumen Dental Clinics", "priority", 41_000, "lumen-dental.example", "Vienna"],
  ["Alder Student Living", "priority", 88_000, "alder-living.example", "Utrecht"],
  ["Pinewood Bakery", "standard", 3_600, "pinewood-bakery.example", "Ghent"],
  ["Copperleaf Studio", "standard", 2_400, "copperleaf.example", "Porto"],
  ["Riverside Physiotherapy", "standard", 5_200, "riverside-physio.example", "Cork"],
  ["Maple Lane Kindergarten", "standard", 4_100, "maplelane.example", "Aarhus"],
  ["Sunbeam Yoga", "standard", 1_900, "sunbeam-yoga.example", "Bologna"],
  ["Greyfriars Books", "standard", 2_700, "greyfriars-books.example", "Edinburgh"],
  ["Tidewater Marina", "standard", 6_800, "tidewater-marina.example", "Kiel"],
];

/** Mail domains of household customers (no account). */
export const HOUSEHOLD_DOMAINS = ["mailbox.example", "inbox.example", "post.example"];
