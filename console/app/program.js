import { html, useState, useEffect } from "./lib.js";
import { gql } from "./api.js";
import { useMutation, num } from "./mutation.js";
import { useCtx } from "./ctx.js";
import { TextField, FormErrors, FieldErrors } from "./fields.js";
import { RulesEditor } from "./program_rules.js";
import { Policies } from "./program_policies.js";

const COUNTS = [0, 1, 2, 3, 11, 100];
const PROGRAM = `query ProgramScreen {
  program {
    currency earnRate pointValue expiryMonths pendingDays couponValidDays reminderDays
    inactivityDays dailyMarketingCap
    pointsName { one two few many other ${COUNTS.map((n) => `c${n}: format(count: ${n})`).join(" ")} }
    earningRules { id kind name category sku multiplier bonusPoints activity customActivity points limit period active }
    tiers { id name rank threshold earnMultiplier }
    rewards { id name cost kind value active }
    vipTrialOffer { tier { id name } days minOrders cooldownDays }
    referralReward { referrerPoints refereePoints }
    tierPolicy { metric windowMonths graceDays }
    segmentPolicy { windowDays inactivityDays topOrders topSpend }
  }
}`;
const UPDATE = `mutation UpdateProgram($input: UpdateProgramInput!) {
  updateProgram(input: $input) { userErrors { code field message } }
}`;
const UPSERT_REWARD = `mutation UpsertReward($input: UpsertRewardInput!) {
  upsertReward(input: $input) { reward { id } userErrors { code field message } }
}`;
const UPSERT_TIER = `mutation UpsertTier($input: UpsertTierInput!) {
  upsertTier(input: $input) { tier { id } userErrors { code field message } }
}`;
const KINDS = ["PERCENT_DISCOUNT", "AMOUNT_DISCOUNT", "FREE_PRODUCT", "FREE_SHIPPING", "FREE_SERVICE"];
const FORMS = ["one", "two", "few", "many", "other"];

function Settings({ en, ar, reload }) {
  const { t } = useCtx();
  const [f, setF] = useState(() => ({
    earnRate: String(en.earnRate), pointValue: en.pointValue, expiryMonths: en.expiryMonths ?? "",
    pendingDays: en.pendingDays, couponValidDays: en.couponValidDays, reminderDays: en.reminderDays.join(", "),
    inactivityDays: en.inactivityDays, dailyMarketingCap: en.dailyMarketingCap,
    names: { en: Object.fromEntries(FORMS.map((k) => [k, en.pointsName[k]])), ar: Object.fromEntries(FORMS.map((k) => [k, ar.pointsName[k]])) },
  }));
  const m = useMutation(UPDATE, "updateProgram", reload);
  const set = (name) => (value) => setF({ ...f, [name]: value });
  const setName = (l, k) => (value) => setF({ ...f, names: { ...f.names, [l]: { ...f.names[l], [k]: value } } });
  const submit = (e) => {
    e.preventDefault();
    m.run({
      earnRate: f.earnRate, pointValue: f.pointValue, expiryMonths: num(f.expiryMonths),
      pendingDays: num(f.pendingDays), couponValidDays: num(f.couponValidDays),
      reminderDays: f.reminderDays.split(/[,،\s]+/).filter(Boolean).map(Number),
      inactivityDays: num(f.inactivityDays), dailyMarketingCap: num(f.dailyMarketingCap),
      pointsName: { en: f.names.en, ar: f.names.ar },
    });
  };
  const fields = ["earnRate", "pointValue", "expiryMonths", "pendingDays", "couponValidDays", "reminderDays", "inactivityDays", "dailyMarketingCap"];
  const shown = fields.map((n) => `input.${n}`).concat(
    ["en", "ar"].flatMap((l) => FORMS.map((k) => `input.pointsName.${l}.${k}`)),
  );
  return html`<form class="card" onSubmit=${submit} novalidate aria-labelledby="settings-title">
    <h2 id="settings-title">${t("program.settings")}</h2>
    <div class="grid3">
      ${fields.map((n) => html`<${TextField} key=${n} path=${`input.${n}`} label=${t(`program.${n}`)}
        value=${f[n]} onInput=${set(n)} errors=${m.errors} dir="ltr"
        hint=${n === "expiryMonths" ? t("program.expiryHint") : n === "reminderDays" ? t("program.reminderHint") : null} />`)}
    </div>
    <h3>${t("program.pointsName")}</h3>
    <div class="two">
      ${["ar", "en"].map((l) => html`<fieldset key=${l} lang=${l} dir=${l === "ar" ? "rtl" : "ltr"}>
        <legend>${l === "ar" ? "العربية" : "English"}</legend>
        ${FORMS.map((k) => html`<${TextField} key=${k} path=${`input.pointsName.${l}.${k}`}
          label=${t(`program.form.${k}`)} value=${f.names[l][k]} onInput=${setName(l, k)} errors=${m.errors} />`)}
        <p class="hint">${t("program.pluralPreview")}</p>
        <ul class="plural-preview" data-testid=${`plural-${l}`}>
          ${COUNTS.map((n) => html`<li key=${n}>${(l === "ar" ? ar : en).pointsName[`c${n}`]}</li>`)}
        </ul>
      </fieldset>`)}
    </div>
    <${FormErrors} errors=${m.errors} shown=${shown} />
    ${m.ok && html`<p class="notice" role="status">${t("common.saved")}</p>`}
    <button type="submit" disabled=${m.busy}>${t("common.save")}</button>
  </form>`;
}

function RewardForm({ reward, reload, onClose }) {
  const { t } = useCtx();
  const [f, setF] = useState(() => reward || { nameAr: "", nameEn: "", cost: "", kind: "PERCENT_DISCOUNT", value: "", active: true });
  const m = useMutation(UPSERT_REWARD, "upsertReward", async () => { await reload(); onClose(); });
  const set = (name) => (value) => setF({ ...f, [name]: value });
  const submit = (e) => {
    e.preventDefault();
    m.run({ id: f.id || null, name: { ar: f.nameAr || null, en: f.nameEn || null }, cost: num(f.cost) ?? 0,
      kind: f.kind, value: f.value === "" ? null : String(f.value), active: f.active });
  };
  return html`<form class="subform" onSubmit=${submit} novalidate>
    <div class="grid3">
      <${TextField} path="input.name.ar" label=${t("program.nameAr")} value=${f.nameAr} onInput=${set("nameAr")} errors=${m.errors} lang="ar" dir="rtl" />
      <${TextField} path="input.name.en" label=${t("program.nameEn")} value=${f.nameEn} onInput=${set("nameEn")} errors=${m.errors} lang="en" dir="ltr" />
      <${FieldErrors} path="input.name" errors=${m.errors} />
      <${TextField} path="input.cost" label=${t("program.cost")} value=${f.cost} onInput=${set("cost")} errors=${m.errors} dir="ltr" />
      <div class="field">
        <label for="reward-kind">${t("program.kind")}</label>
        <select id="reward-kind" value=${f.kind} onChange=${(e) => set("kind")(e.target.value)}>
          ${KINDS.map((k) => html`<option key=${k} value=${k}>${t(`kind.${k}`)}</option>`)}
        </select>
      </div>
      <${TextField} path="input.value" label=${t("program.value")} value=${f.value ?? ""} onInput=${set("value")} errors=${m.errors} dir="ltr" />
      <div class="field check">
        <input id="reward-active" type="checkbox" checked=${f.active} onChange=${(e) => set("active")(e.target.checked)} />
        <label for="reward-active">${t("program.active")}</label>
      </div>
    </div>
    <${FormErrors} errors=${m.errors} shown=${["input.name", "input.name.ar", "input.name.en", "input.cost", "input.value"]} />
    <div class="actions">
      <button type="submit" disabled=${m.busy}>${t("common.save")}</button>
      <button type="button" class="ghost" onClick=${onClose}>${t("common.cancel")}</button>
    </div>
  </form>`;
}

function TierForm({ tier, reload, onClose }) {
  const { t } = useCtx();
  const [f, setF] = useState(() => tier || { nameAr: "", nameEn: "", rank: "", threshold: "", earnMultiplier: "1" });
  const m = useMutation(UPSERT_TIER, "upsertTier", async () => { await reload(); onClose(); });
  const set = (name) => (value) => setF({ ...f, [name]: value });
  const submit = (e) => {
    e.preventDefault();
    m.run({ id: f.id || null, name: { ar: f.nameAr || null, en: f.nameEn || null }, rank: num(f.rank) ?? 0,
      threshold: String(f.threshold || 0), earnMultiplier: String(f.earnMultiplier || 1) });
  };
  return html`<form class="subform" onSubmit=${submit} novalidate>
    <div class="grid3">
      <${TextField} path="input.name.ar" label=${t("program.nameAr")} value=${f.nameAr} onInput=${set("nameAr")} errors=${m.errors} lang="ar" dir="rtl" />
      <${TextField} path="input.name.en" label=${t("program.nameEn")} value=${f.nameEn} onInput=${set("nameEn")} errors=${m.errors} lang="en" dir="ltr" />
      <${FieldErrors} path="input.name" errors=${m.errors} />
      <${TextField} path="input.rank" label=${t("program.rank")} value=${f.rank} onInput=${set("rank")} errors=${m.errors} dir="ltr" />
      <${TextField} path="input.threshold" label=${t("program.threshold")} value=${f.threshold} onInput=${set("threshold")} errors=${m.errors} dir="ltr" />
      <${TextField} path="input.earnMultiplier" label=${t("program.multiplier")} value=${f.earnMultiplier} onInput=${set("earnMultiplier")} errors=${m.errors} dir="ltr" />
    </div>
    <${FormErrors} errors=${m.errors} shown=${["input.name", "input.name.ar", "input.name.en", "input.rank", "input.threshold", "input.earnMultiplier"]} />
    <div class="actions">
      <button type="submit" disabled=${m.busy}>${t("common.save")}</button>
      <button type="button" class="ghost" onClick=${onClose}>${t("common.cancel")}</button>
    </div>
  </form>`;
}

export function Program() {
  const { t, fmt, lang } = useCtx();
  const [p, setP] = useState(null);
  const [error, setError] = useState(null);
  const [editing, setEditing] = useState(null);
  const load = () =>
    Promise.all(["en", "ar"].map((l) => gql(PROGRAM, {}, l)))
      .then(([en, ar]) => setP({ en: en.program, ar: ar.program }))
      .catch((e) => setError(e.message));
  useEffect(() => { load(); }, []);
  if (error) return html`<p class="alert" role="alert">${error}</p>`;
  if (!p) return html`<p>${t("common.loading")}</p>`;
  const here = p[lang];
  const other = p[lang === "ar" ? "en" : "ar"];
  const both = (list, otherList, item) => {
    const twin = otherList.find((x) => x.id === item.id) || item;
    return lang === "ar" ? { nameAr: item.name, nameEn: twin.name } : { nameAr: twin.name, nameEn: item.name };
  };
  return html`<div class="page program">
    <div class="page-head"><h1>${t("program.title")}</h1></div>
    <${Settings} en=${p.en} ar=${p.ar} reload=${load} />
    <${RulesEditor} en=${p.en} ar=${p.ar} reload=${load} />
    <section class="card" aria-labelledby="rewards-title">
      <div class="row spread"><h2 id="rewards-title">${t("program.rewards")}</h2>
        <button type="button" class="secondary" onClick=${() => setEditing({ kind: "reward", item: null })}>${t("program.newReward")}</button></div>
      ${editing && editing.kind === "reward" && html`<${RewardForm} reward=${editing.item} reload=${load} onClose=${() => setEditing(null)} />`}
      <table class="table"><thead><tr>
        <th scope="col">${t("program.reward")}</th><th scope="col" class="num">${t("program.cost")}</th>
        <th scope="col">${t("program.kind")}</th><th scope="col">${t("program.active")}</th>
        <th scope="col"><span class="sr-only">${t("common.actions")}</span></th>
      </tr></thead><tbody>
        ${here.rewards.map((r) => html`<tr key=${r.id}>
          <td>${r.name}</td><td class="num">${fmt.num(r.cost)}</td><td>${t(`kind.${r.kind}`)}</td>
          <td>${r.active ? t("common.yes") : t("common.no")}</td>
          <td><button type="button" class="ghost" aria-label=${t("program.editNamed", { name: r.name })}
            onClick=${() => setEditing({ kind: "reward", item: { ...r, ...both(here.rewards, other.rewards, r) } })}>${t("common.edit")}</button></td>
        </tr>`)}
      </tbody></table>
    </section>
    <section class="card" aria-labelledby="tiers-title">
      <div class="row spread"><h2 id="tiers-title">${t("program.tiers")}</h2>
        <button type="button" class="secondary" onClick=${() => setEditing({ kind: "tier", item: null })}>${t("program.newTier")}</button></div>
      ${editing && editing.kind === "tier" && html`<${TierForm} tier=${editing.item} reload=${load} onClose=${() => setEditing(null)} />`}
      <table class="table"><thead><tr>
        <th scope="col">${t("program.tier")}</th><th scope="col" class="num">${t("program.rank")}</th>
        <th scope="col" class="num">${t("program.threshold")}</th><th scope="col" class="num">${t("program.multiplier")}</th>
        <th scope="col"><span class="sr-only">${t("common.actions")}</span></th>
      </tr></thead><tbody>
        ${here.tiers.map((x) => html`<tr key=${x.id}>
          <td>${x.name}</td><td class="num">${x.rank}</td><td class="num">${fmt.num(x.threshold)}</td><td class="num">×${fmt.num(x.earnMultiplier)}</td>
          <td><button type="button" class="ghost" aria-label=${t("program.editNamed", { name: x.name })}
            onClick=${() => setEditing({ kind: "tier", item: { ...x, threshold: String(x.threshold), earnMultiplier: String(x.earnMultiplier), ...both(here.tiers, other.tiers, x) } })}>${t("common.edit")}</button></td>
        </tr>`)}
      </tbody></table>
    </section>
    <${Policies} program=${here} reload=${load} />
  </div>`;
}
