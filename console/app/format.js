// Numbers, money and dates per console language. Arabic keeps Latin digits, as the API's own
// Arabic texts do (Gulf apps show 0-9).
export function intlLocale(lang) {
  return lang === "ar" ? "ar-u-nu-latn" : "en";
}

export function formatters(lang, timezone, currency) {
  const locale = intlLocale(lang);
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const tz = timezone || "UTC";
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: tz });
  const dateTime = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: tz,
  });
  const money = (amount, code) => {
    if (amount === null || amount === undefined) return "—";
    try {
      return new Intl.NumberFormat(locale, {
        style: "currency",
        currency: code || currency || "USD",
      }).format(Number(amount));
    } catch (_) {
      return `${amount} ${code || currency || ""}`;
    }
  };
  // Points moved, with their sign, always read left to right (+75, -150) in both languages.
  const signed = new Intl.NumberFormat("en", { signDisplay: "exceptZero" });
  return {
    signed: (n) => signed.format(n),
    num: (n) => (n === null || n === undefined ? "—" : number.format(n)),
    pct: (n) => (n === null || n === undefined ? "—" : percent.format(n)),
    money,
    date: (iso) => (iso ? date.format(new Date(iso)) : "—"),
    dateTime: (iso) => (iso ? dateTime.format(new Date(iso)) : "—"),
  };
}

// The UTC instant of local midnight starting `day` (YYYY-MM-DD) in time zone `tz`.
export function zonedMidnight(day, tz) {
  const [y, m, d] = day.split("-").map(Number);
  const guess = Date.UTC(y, m - 1, d);
  let instant = guess - offsetAt(guess, tz);
  instant = guess - offsetAt(instant, tz); // once more: the offset may differ across DST
  return new Date(instant);
}

function offsetAt(instant, tz) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - instant;
}

// Today's date (YYYY-MM-DD) in time zone `tz`, shifted by `days`.
export function localDay(tz, days = 0) {
  const now = new Date(Date.now() + days * 86400000);
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
  return parts;
}

export function nextDay(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
