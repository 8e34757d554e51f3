import { html, useState, useEffect } from "./lib.js";
import { useCtx } from "./ctx.js";
import { useMutation, num } from "./mutation.js";
import { TextField, SelectField, CheckField, FormErrors, FieldErrors } from "./fields.js";

const UPDATE = `mutation UpdateRules($input: UpdateProgramInput!) {
  updateProgram(input: $input) { userErrors { code field message } }
}`;
const KINDS = ["CATEGORY", "SKU", "ACTIVITY"];
const ACTIVITIES = ["SIGNUP", "NEWSLETTER_SUBSCRIBE", "PRODUCT_REVIEW", "BIRTHDAY", "SOCIAL_FOLLOW", "REFERRAL", "CUSTOM"];
const PERIODS = ["DAY", "WEEK", "MONTH", "YEAR", "LIFETIME"];
// What each kind of rule is made of (updateProgram ignores the rest).
const PARTS = {
  CATEGORY: ["category", "multiplier", "bonusPoints"],
  SKU: ["sku", "multiplier", "bonusPoints"],
  ACTIVITY: ["activity", "customActivity", "points", "limit", "period"],
};

function draftOf(rule, twin, lang) {
  const names = lang === "ar" ? { nameAr: rule.name, nameEn: twin.name } : { nameAr: twin.name, nameEn: rule.name };
  return {
    id: rule.id, kind: rule.kind, ...names, category: rule.category || "", sku: rule.sku || "",
    multiplier: String(rule.multiplier), bonusPoints: String(rule.bonusPoints), activity: rule.activity || "SIGNUP",
    customActivity: rule.customActivity || "", points: String(rule.points), limit: rule.limit ?? "",
    period: rule.period, active: rule.active,
  };
}

const blank = (kind) => ({
  id: null, kind, nameAr: "", nameEn: "", category: "", sku: "", multiplier: "1", bonusPoints: "0",
  activity: "SIGNUP", customActivity: "", points: "0", limit: "", period: "LIFETIME", active: true,
});

function inputOf(d) {
  const name = d.nameAr || d.nameEn ? { ar: d.nameAr || null, en: d.nameEn || null } : null;
  const base = { id: d.id, kind: d.kind, name, active: d.active };
  if (d.kind === "ACTIVITY") {
    return { ...base, activity: d.activity, customActivity: d.activity === "CUSTOM" ? d.customActivity || null : null,
      points: num(d.points) ?? 0, limit: num(d.limit), period: d.period };
  }
  return { ...base, [d.kind === "SKU" ? "sku" : "category"]: (d.kind === "SKU" ? d.sku : d.category) || null,
    multiplier: d.multiplier === "" ? null : d.multiplier, bonusPoints: num(d.bonusPoints) ?? 0 };
}

function RuleFields({ d, index, set, errors, onRemove }) {
  const { t } = useCtx();
  const at = (name) => `input.earningRules.${index}.${name}`;
  const parts = PARTS[d.kind];
  const field = (name, extra) => html`<${TextField} path=${at(name)} label=${t(`rules.${name}`)} value=${d[name]}
    onInput=${set(name)} errors=${errors} dir="ltr" ...${extra || {}} />`;
  return html`<fieldset class="rule" data-testid="rule-editor">
    <legend>${t("rules.numbered", { n: index + 1 })} · ${t(`rule.${d.kind}`)}</legend>
    <div class="grid3">
      <${TextField} path=${at("name.ar")} label=${t("program.nameAr")} value=${d.nameAr} onInput=${set("nameAr")} errors=${errors} lang="ar" dir="rtl" />
      <${TextField} path=${at("name.en")} label=${t("program.nameEn")} value=${d.nameEn} onInput=${set("nameEn")} errors=${errors} lang="en" dir="ltr" />
      ${parts.includes("category") && field("category")}
      ${parts.includes("sku") && field("sku")}
      ${parts.includes("multiplier") && field("multiplier")}
      ${parts.includes("bonusPoints") && field("bonusPoints")}
      ${parts.includes("activity") && html`<${SelectField} path=${at("activity")} label=${t("rules.activity")} value=${d.activity}
        onChange=${set("activity")} errors=${errors} options=${ACTIVITIES.map((a) => [a, t(`activity.${a}`)])} />`}
      ${parts.includes("customActivity") && d.activity === "CUSTOM" && field("customActivity")}
      ${parts.includes("points") && field("points")}
      ${parts.includes("limit") && field("limit", { hint: t("rules.limitHint") })}
      ${parts.includes("period") && html`<${SelectField} path=${at("period")} label=${t("rules.period")} value=${d.period}
        onChange=${set("period")} errors=${errors} options=${PERIODS.map((p) => [p, t(`period.${p}`)])} />`}
      <${CheckField} id=${`rule-active-${index}`} label=${t("program.active")} checked=${d.active} onChange=${set("active")} />
    </div>
    <${FieldErrors} path=${`input.earningRules.${index}`} errors=${errors} />
    <button type="button" class="ghost" data-testid="rule-remove" onClick=${onRemove}>${t("rules.remove")}</button>
  </fieldset>`;
}

// The earning rules: updateProgram replaces the whole list, so the editor saves them together.
export function RulesEditor({ en, ar, reload }) {
  const { t, lang } = useCtx();
  const here = lang === "ar" ? ar : en;
  const there = lang === "ar" ? en : ar;
  const fresh = () => here.earningRules.map((r) => draftOf(r, there.earningRules.find((x) => x.id === r.id) || r, lang));
  const [rules, setRules] = useState(fresh);
  // After a save the program is read again: new rules get their ids from it.
  useEffect(() => setRules(fresh()), [en, ar]);
  const [adding, setAdding] = useState("CATEGORY");
  const m = useMutation(UPDATE, "updateProgram", reload);
  const setAt = (index) => (name) => (value) =>
    setRules(rules.map((r, i) => (i === index ? { ...r, [name]: value } : r)));
  const shown = rules.flatMap((d, i) =>
    [`input.earningRules.${i}`, ...["name.ar", "name.en", ...PARTS[d.kind]].map((n) => `input.earningRules.${i}.${n}`)]);
  const submit = (e) => {
    e.preventDefault();
    m.run({ earningRules: rules.map(inputOf) });
  };
  return html`<form class="card" onSubmit=${submit} novalidate aria-labelledby="rules-title" data-testid="rules-form">
    <h2 id="rules-title">${t("program.rules")}</h2>
    <p class="hint">${t("rules.intro")}</p>
    ${rules.length === 0 && html`<p class="muted">${t("rules.none")}</p>`}
    ${rules.map((d, i) => html`<${RuleFields} key=${d.id || `new-${i}`} d=${d} index=${i} set=${setAt(i)} errors=${m.errors}
      onRemove=${() => setRules(rules.filter((_, j) => j !== i))} />`)}
    <div class="row">
      <${SelectField} path="new-rule-kind" label=${t("rules.newKind")} value=${adding} onChange=${setAdding}
        options=${KINDS.map((k) => [k, t(`rule.${k}`)])} />
      <button type="button" class="secondary" data-testid="rule-add" onClick=${() => setRules([...rules, blank(adding)])}>${t("rules.add")}</button>
    </div>
    <${FieldErrors} path="input.earningRules" errors=${m.errors} />
    <${FormErrors} errors=${m.errors} shown=${[...shown, "input.earningRules"]} />
    ${m.ok && html`<p class="notice" role="status">${t("common.saved")}</p>`}
    <button type="submit" data-testid="rules-save" disabled=${m.busy}>${t("rules.save")}</button>
  </form>`;
}
