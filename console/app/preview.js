import { html } from "./lib.js";
import { translator } from "./i18n.js";
import { formatters } from "./format.js";

const SAMPLE_LEADERS = {
  en: ["Sara H.", "Omar F.", "Layla N."],
  ar: ["سارة ح.", "عمر ف.", "ليلى ن."],
};

// A sketch of the shopper's app drawn with the draft's colours, font and corner radius:
// wallet card, tier progress, rewards and leaderboard, in one language and one scheme.
export function Phone({ colors, font, radius, lang, scheme, program, icon }) {
  const t = translator(lang);
  const fmt = formatters(lang, "UTC", program && program.currency);
  const c = colors;
  const r = `${radius ?? 12}px`;
  const tiers = ((program && program.tiers) || []).slice().sort((a, b) => a.rank - b.rank);
  const current = tiers[0];
  const next = tiers[1];
  const rewards = ((program && program.rewards) || []).slice(0, 3);
  const balance = program && program.pointsName ? program.pointsName.format : fmt.num(1250);
  return html`<figure class="phone-frame" data-testid=${`preview-${scheme}-${lang}`}>
    <div class="phone" dir=${lang === "ar" ? "rtl" : "ltr"} lang=${lang}
      style=${{ background: c.background, color: c.onBackground, fontFamily: `"${font || "Cairo"}", system-ui, sans-serif` }}>
      <div class="phone-bar" data-testid="preview-bar"
        style=${{ background: c.primary, color: c.onPrimary }}>
        ${icon && html`<img src=${icon} alt="" width="24" height="24" style=${{ borderRadius: "6px" }} />`}
        <strong>${(program && program.name) || t("preview.store")}</strong>
      </div>
      <div class="phone-body">
        <section class="p-card" style=${{ background: c.primary, color: c.onPrimary, borderRadius: r }}>
          <div class="p-small">${t("preview.balance")}</div>
          <div class="p-big">${balance}</div>
          <div class="p-small">${t("preview.pending", { points: fmt.num(180) })}</div>
        </section>
        <section class="p-panel" style=${{ background: c.surface, color: c.onSurface, borderRadius: r }}>
          <div class="p-row">
            <strong>${current ? current.name : t("preview.tier")}</strong>
            <span>${next ? next.name : ""}</span>
          </div>
          <div class="p-track" style=${{ background: c.background, borderRadius: r }}>
            <div class="p-fill" style=${{ background: c.secondary, width: "62%", borderRadius: r }}></div>
          </div>
          <div class="p-small">${t("preview.toNext", { amount: fmt.money(380) })}</div>
        </section>
        <section class="p-panel" style=${{ background: c.surface, color: c.onSurface, borderRadius: r }}>
          <div class="p-title">${t("preview.rewards")}</div>
          ${(rewards.length ? rewards : [{ name: t("preview.reward"), cost: 300 }]).map(
            (reward, i) => html`<div class="p-row" key=${i}>
              <span>${reward.name}</span>
              <span class="p-pill" style=${{ background: c.secondary, color: c.onSecondary, borderRadius: r }}>
                ${fmt.num(reward.cost)}
              </span>
            </div>`,
          )}
        </section>
        <section class="p-panel" style=${{ background: c.surface, color: c.onSurface, borderRadius: r }}>
          <div class="p-title">${t("preview.leaderboard")}</div>
          ${SAMPLE_LEADERS[lang].map(
            (name, i) => html`<div class="p-row" key=${i}>
              <span><span class="p-dot" aria-hidden="true" style=${{ background: c.accent || c.secondary }}></span>${i + 1}. ${name}</span>
              <span>${fmt.num(2400 - i * 350)}</span>
            </div>`,
          )}
        </section>
      </div>
    </div>
    <figcaption>${t(`preview.${scheme}`)} · ${lang === "ar" ? "العربية" : "English"}</figcaption>
  </figure>`;
}
