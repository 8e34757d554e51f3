import { html, useState, useEffect } from "./lib.js";
import { useCtx } from "./ctx.js";
import { useMutation, num } from "./mutation.js";
import { TextField, SelectField, CheckField, FormErrors } from "./fields.js";

const UPDATE = `mutation UpdatePolicies($input: UpdateProgramInput!) {
  updateProgram(input: $input) { userErrors { code field message } }
}`;
const METRICS = ["POINTS", "SPEND", "ORDERS"];
const NUMBERS = {
  referralReward: ["referrerPoints", "refereePoints"],
  vipTrialOffer: ["days", "minOrders", "cooldownDays"],
  tierPolicy: ["windowMonths", "graceDays"],
  segmentPolicy: ["windowDays", "inactivityDays", "topOrders", "topSpend"],
};

function initial(p) {
  const trial = p.vipTrialOffer;
  const paid = p.tiers.filter((x) => x.rank > 0);
  return {
    referralReward: { referrerPoints: String(p.referralReward.referrerPoints), refereePoints: String(p.referralReward.refereePoints) },
    trialOn: Boolean(trial),
    vipTrialOffer: {
      tierId: trial && trial.tier ? trial.tier.id : (paid[0] || p.tiers[0] || { id: "" }).id,
      days: String(trial ? trial.days : 14), minOrders: String(trial ? trial.minOrders : 1),
      cooldownDays: String(trial ? trial.cooldownDays : 365),
    },
    tierPolicy: { metric: p.tierPolicy.metric, windowMonths: p.tierPolicy.windowMonths ?? "", graceDays: String(p.tierPolicy.graceDays) },
    segmentPolicy: {
      windowDays: String(p.segmentPolicy.windowDays), inactivityDays: String(p.segmentPolicy.inactivityDays),
      topOrders: String(p.segmentPolicy.topOrders), topSpend: String(p.segmentPolicy.topSpend),
    },
  };
}

// Referrals, the VIP trial, how tiers are earned and kept, and how members fall into segments:
// one updateProgram, each error under the field it names.
export function Policies({ program, reload }) {
  const { t } = useCtx();
  const [f, setF] = useState(() => initial(program));
  useEffect(() => setF(initial(program)), [program]);
  const m = useMutation(UPDATE, "updateProgram", reload);
  const set = (group, name) => (value) => setF({ ...f, [group]: { ...f[group], [name]: value } });
  const submit = (e) => {
    e.preventDefault();
    const r = f.referralReward, v = f.vipTrialOffer, tp = f.tierPolicy, s = f.segmentPolicy;
    m.run({
      referralReward: { referrerPoints: num(r.referrerPoints) ?? 0, refereePoints: num(r.refereePoints) ?? 0 },
      vipTrialOffer: f.trialOn
        ? { tierId: v.tierId, days: num(v.days) ?? 0, minOrders: num(v.minOrders) ?? 0, cooldownDays: num(v.cooldownDays) ?? 0 }
        : null,
      tierPolicy: { metric: tp.metric, windowMonths: num(tp.windowMonths), graceDays: num(tp.graceDays) ?? 0 },
      segmentPolicy: {
        windowDays: num(s.windowDays) ?? 0, inactivityDays: num(s.inactivityDays) ?? 0,
        topOrders: num(s.topOrders) ?? 0, topSpend: s.topSpend === "" ? "0" : s.topSpend,
      },
    });
  };
  const field = (group, name, hint) => html`<${TextField} key=${name} path=${`input.${group}.${name}`}
    label=${t(`policy.${group}.${name}`)} value=${f[group][name]} onInput=${set(group, name)}
    errors=${m.errors} dir="ltr" hint=${hint} />`;
  const shown = Object.entries(NUMBERS).flatMap(([g, names]) => [`input.${g}`, ...names.map((n) => `input.${g}.${n}`)])
    .concat(["input.vipTrialOffer.tierId", "input.tierPolicy.metric"]);
  return html`<form class="card" onSubmit=${submit} novalidate aria-labelledby="extras-title" data-testid="policies-form">
    <h2 id="extras-title">${t("program.extras")}</h2>
    <fieldset><legend>${t("program.referral")}</legend>
      <div class="grid3">${NUMBERS.referralReward.map((n) => field("referralReward", n))}</div>
    </fieldset>
    <fieldset><legend>${t("program.vipTrial")}</legend>
      <${CheckField} id="trial-on" label=${t("policy.trialOn")} checked=${f.trialOn} onChange=${(on) => setF({ ...f, trialOn: on })} />
      ${f.trialOn && html`<div class="grid3">
        <${SelectField} path="input.vipTrialOffer.tierId" label=${t("program.tier")} value=${f.vipTrialOffer.tierId}
          onChange=${set("vipTrialOffer", "tierId")} errors=${m.errors} options=${program.tiers.map((x) => [x.id, x.name])} />
        ${NUMBERS.vipTrialOffer.map((n) => field("vipTrialOffer", n))}
      </div>`}
    </fieldset>
    <fieldset><legend>${t("policy.tiers")}</legend>
      <div class="grid3">
        <${SelectField} path="input.tierPolicy.metric" label=${t("policy.tierPolicy.metric")} value=${f.tierPolicy.metric}
          onChange=${set("tierPolicy", "metric")} errors=${m.errors} options=${METRICS.map((x) => [x, t(`metric.${x}`)])} />
        ${field("tierPolicy", "windowMonths", t("policy.windowHint"))}
        ${field("tierPolicy", "graceDays")}
      </div>
    </fieldset>
    <fieldset><legend>${t("policy.segments")}</legend>
      <div class="grid3">${NUMBERS.segmentPolicy.map((n) => field("segmentPolicy", n))}</div>
    </fieldset>
    <${FormErrors} errors=${m.errors} shown=${shown} />
    ${m.ok && html`<p class="notice" role="status">${t("common.saved")}</p>`}
    <button type="submit" data-testid="policies-save" disabled=${m.busy}>${t("common.save")}</button>
  </form>`;
}
