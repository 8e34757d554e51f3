import { html, useState, useEffect } from "./lib.js";
import { gql } from "./api.js";
import { useCtx } from "./ctx.js";
import { useMutation, num } from "./mutation.js";
import { TextField, SelectField, CheckField, FormErrors, FieldErrors } from "./fields.js";

const LIST = `query BadgeScreen {
  badges { id name description icon rule category tierId goal bonusPoints active }
  program { tiers { id name rank } }
}`;
const UPSERT = `mutation UpsertBadge($input: UpsertBadgeInput!) {
  upsertBadge(input: $input) { badge { id } userErrors { code field message } }
}`;
const RULES = ["FIRST_ORDER", "ORDER_COUNT", "REVIEW_COUNT", "REFERRAL_COUNT", "TIER_REACHED", "CATEGORY_SPEND", "MONTHLY_STREAK"];
const COUNTED = ["ORDER_COUNT", "REVIEW_COUNT", "REFERRAL_COUNT", "CATEGORY_SPEND", "MONTHLY_STREAK"];
const PATHS = ["input.name", "input.name.ar", "input.name.en", "input.description.ar", "input.description.en",
  "input.description", "input.icon", "input.rule", "input.goal", "input.category", "input.tierId", "input.bonusPoints", "input.id"];

function BadgeForm({ badge, tiers, reload, onClose }) {
  const { t } = useCtx();
  const [f, setF] = useState(() => badge || {
    nameAr: "", nameEn: "", descriptionAr: "", descriptionEn: "", icon: "", rule: "ORDER_COUNT",
    goal: "3", category: "", tierId: "", bonusPoints: "0", active: true,
  });
  const m = useMutation(UPSERT, "upsertBadge", async () => { await reload(); onClose(); });
  const set = (name) => (value) => setF({ ...f, [name]: value });
  const text = (ar, en) => (ar || en ? { ar: ar || null, en: en || null } : null);
  const submit = (e) => {
    e.preventDefault();
    m.run({
      id: f.id || null, name: text(f.nameAr, f.nameEn) || { ar: null, en: null },
      description: text(f.descriptionAr, f.descriptionEn), icon: f.icon || null, rule: f.rule,
      goal: COUNTED.includes(f.rule) ? num(f.goal) ?? 0 : 1,
      category: f.rule === "CATEGORY_SPEND" ? f.category || null : null,
      tierId: f.rule === "TIER_REACHED" ? f.tierId || null : null,
      bonusPoints: num(f.bonusPoints) ?? 0, active: f.active,
    });
  };
  return html`<form class="subform" onSubmit=${submit} novalidate data-testid="badge-form">
    <div class="grid3">
      <${TextField} path="input.name.ar" label=${t("program.nameAr")} value=${f.nameAr} onInput=${set("nameAr")} errors=${m.errors} lang="ar" dir="rtl" />
      <${TextField} path="input.name.en" label=${t("program.nameEn")} value=${f.nameEn} onInput=${set("nameEn")} errors=${m.errors} lang="en" dir="ltr" />
      <${TextField} path="input.icon" label=${t("badges.icon")} value=${f.icon} onInput=${set("icon")} errors=${m.errors} dir="ltr" hint=${t("badges.iconHint")} />
      <${TextField} path="input.description.ar" label=${t("badges.descriptionAr")} value=${f.descriptionAr} onInput=${set("descriptionAr")} errors=${m.errors} lang="ar" dir="rtl" />
      <${TextField} path="input.description.en" label=${t("badges.descriptionEn")} value=${f.descriptionEn} onInput=${set("descriptionEn")} errors=${m.errors} lang="en" dir="ltr" />
      <${SelectField} path="input.rule" label=${t("badges.rule")} value=${f.rule} onChange=${set("rule")} errors=${m.errors}
        options=${RULES.map((r) => [r, t(`badgeRule.${r}`)])} />
      ${COUNTED.includes(f.rule) && html`<${TextField} path="input.goal" label=${t(`badges.goal.${f.rule}`)} value=${f.goal} onInput=${set("goal")} errors=${m.errors} dir="ltr" />`}
      ${f.rule === "CATEGORY_SPEND" && html`<${TextField} path="input.category" label=${t("rules.category")} value=${f.category} onInput=${set("category")} errors=${m.errors} dir="ltr" />`}
      ${f.rule === "TIER_REACHED" && html`<${SelectField} path="input.tierId" label=${t("program.tier")} value=${f.tierId} onChange=${set("tierId")} errors=${m.errors}
        options=${[["", "—"], ...tiers.map((x) => [x.id, x.name])]} />`}
      <${TextField} path="input.bonusPoints" label=${t("badges.bonusPoints")} value=${f.bonusPoints} onInput=${set("bonusPoints")} errors=${m.errors} dir="ltr" />
      <${CheckField} id="badge-active" label=${t("program.active")} checked=${f.active} onChange=${set("active")} />
    </div>
    <${FieldErrors} path="input.name" errors=${m.errors} />
    <${FormErrors} errors=${m.errors} shown=${PATHS} />
    <div class="actions">
      <button type="submit" data-testid="badge-save" disabled=${m.busy}>${t("common.save")}</button>
      <button type="button" class="ghost" onClick=${onClose}>${t("common.cancel")}</button>
    </div>
  </form>`;
}

// Every badge the program defines (inactive ones too), and upsertBadge to add or change one.
export function Badges() {
  const { t, fmt, lang } = useCtx();
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [editing, setEditing] = useState(null);
  const load = () =>
    Promise.all(["en", "ar"].map((l) => gql(LIST, {}, l)))
      .then(([en, ar]) => setData({ en, ar }))
      .catch((e) => setError(e.message));
  useEffect(() => { load(); }, []);
  if (error) return html`<p class="alert" role="alert">${error}</p>`;
  if (!data) return html`<p>${t("common.loading")}</p>`;
  const here = data[lang];
  const twin = (b) => data.en.badges.map((x, i) => [x, data.ar.badges[i]]).find(([x]) => x.id === b.id) || [b, b];
  const draft = (b) => {
    const [en, ar] = twin(b);
    return { id: b.id, nameAr: ar.name, nameEn: en.name, descriptionAr: ar.description || "", descriptionEn: en.description || "",
      icon: b.icon || "", rule: b.rule, goal: String(b.goal), category: b.category || "", tierId: b.tierId || "",
      bonusPoints: String(b.bonusPoints), active: b.active };
  };
  return html`<div class="page badges">
    <div class="page-head row spread">
      <h1>${t("badges.title")}</h1>
      <button type="button" class="secondary" onClick=${() => setEditing({ item: null })}>${t("badges.new")}</button>
    </div>
    <p class="muted">${t("badges.intro")}</p>
    ${editing && html`<section class="card" aria-label=${t("badges.editor")}>
      <${BadgeForm} key=${editing.item ? editing.item.id : "new"} badge=${editing.item} tiers=${here.program.tiers} reload=${load} onClose=${() => setEditing(null)} />
    </section>`}
    <div class="card">
      ${here.badges.length === 0 ? html`<p class="muted">${t("badges.none")}</p>` : html`<table class="table" data-testid="badge-table">
        <caption class="sr-only">${t("badges.title")}</caption>
        <thead><tr>
          <th scope="col">${t("badges.badge")}</th><th scope="col">${t("badges.rule")}</th>
          <th scope="col" class="num">${t("badges.goalCol")}</th><th scope="col" class="num">${t("badges.bonusPoints")}</th>
          <th scope="col">${t("program.active")}</th><th scope="col"><span class="sr-only">${t("common.actions")}</span></th>
        </tr></thead>
        <tbody>
          ${here.badges.map((b) => html`<tr key=${b.id}>
            <td><span aria-hidden="true">${b.icon && !b.icon.startsWith("http") ? `${b.icon} ` : ""}</span>${b.name}</td>
            <td>${t(`badgeRule.${b.rule}`)}${b.category ? ` · ${b.category}` : ""}</td>
            <td class="num">${fmt.num(b.goal)}</td><td class="num">${fmt.num(b.bonusPoints)}</td>
            <td>${b.active ? t("common.yes") : t("common.no")}</td>
            <td><button type="button" class="ghost" aria-label=${t("program.editNamed", { name: b.name })}
              onClick=${() => setEditing({ item: draft(b) })}>${t("common.edit")}</button></td>
          </tr>`)}
        </tbody>
      </table>`}
    </div>
  </div>`;
}
