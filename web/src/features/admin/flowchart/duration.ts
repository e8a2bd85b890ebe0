import { t } from "../../../i18n";

const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * An ISO 8601 duration as a person reads it: `PT30M` → "30 min", `P1DT2H` → "1 d 2 h", `PT0S` → "0 min".
 * Anything that is not a duration is shown as it is (the server validated it; this only words it).
 */
export function humanDuration(iso: string): string {
  const m = ISO.exec(iso);
  if (!m) return iso;
  const [, w, d, h, min, s] = m;
  const parts: string[] = [];
  const days = Number(w ?? 0) * 7 + Number(d ?? 0);
  if (days) parts.push(t("policy.duration.days", { n: days }));
  if (Number(h ?? 0)) parts.push(t("policy.duration.hours", { n: Number(h) }));
  if (Number(min ?? 0)) parts.push(t("policy.duration.minutes", { n: Number(min) }));
  if (Number(s ?? 0)) parts.push(t("policy.duration.seconds", { n: Number(s) }));
  return parts.length ? parts.join(" ") : t("policy.duration.minutes", { n: 0 });
}
