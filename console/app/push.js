import { html, useState, useEffect } from "./lib.js";
import { gql, errorsByField } from "./api.js";
import { useCtx } from "./ctx.js";
import { TextField, FormErrors, FieldErrors } from "./fields.js";
import { zonedMidnight } from "./format.js";

const SEGMENTS = ["CHAMPION", "LOYAL", "REGULAR", "AT_RISK", "NEW"];
const LOG = `query PushLog($first: Int, $after: String, $member: ID) {
  notificationLog(first: $first, after: $after, memberExternalId: $member) {
    edges { node { id memberExternalId kind status reason locale title createdAt sentAt sender attempts } }
    pageInfo { hasNextPage endCursor }
  }
  program { tiers { id name } }
}`;
const CAMPAIGNS = `query Campaigns($first: Int, $after: String) {
  campaigns(first: $first, after: $after) {
    edges { node { id name segment tierId sendAt status queued } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const CREATE = `mutation CreateCampaign($input: CreateCampaignInput!) {
  createCampaign(input: $input) { campaign { id name segment tierId sendAt status queued } userErrors { code field message } }
}`;

function CampaignForm({ tiers, onCreated }) {
  const { t, lang, program } = useCtx();
  const empty = { name: "", titleAr: "", titleEn: "", bodyAr: "", bodyEn: "", segment: "", tierId: "", sendDay: "", sendTime: "10:00" };
  const [f, setF] = useState(empty);
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const set = (name) => (value) => setF({ ...f, [name]: value });
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    let sendAt = null;
    if (f.sendDay) {
      const [hh, mm] = (f.sendTime || "00:00").split(":").map(Number);
      sendAt = new Date(zonedMidnight(f.sendDay, program.timezone).getTime() + (hh * 60 + mm) * 60000).toISOString();
    }
    try {
      const payload = (await gql(CREATE, { input: {
        name: f.name, segment: f.segment || null, tierId: f.tierId || null, sendAt,
        title: { ar: f.titleAr || null, en: f.titleEn || null }, body: { ar: f.bodyAr || null, en: f.bodyEn || null },
      } }, lang)).createCampaign;
      setErrors(errorsByField(payload.userErrors));
      if (!payload.userErrors.length) {
        onCreated(payload.campaign);
        setF(empty);
      }
    } catch (err) {
      setErrors({ "": [{ message: err.message }] });
    } finally {
      setBusy(false);
    }
  };
  const paths = ["input.name", "input.title.ar", "input.title.en", "input.body.ar", "input.body.en", "input.sendAt", "input.segment", "input.tierId", "input.title", "input.body"];
  return html`<form class="card" onSubmit=${submit} novalidate aria-labelledby="campaign-title">
    <h2 id="campaign-title">${t("push.new")}</h2>
    <${TextField} path="input.name" label=${t("push.name")} value=${f.name} onInput=${set("name")} errors=${errors} />
    <div class="two">
      <${TextField} path="input.title.ar" label=${t("push.titleAr")} value=${f.titleAr} onInput=${set("titleAr")} errors=${errors} lang="ar" dir="rtl" />
      <${TextField} path="input.title.en" label=${t("push.titleEn")} value=${f.titleEn} onInput=${set("titleEn")} errors=${errors} lang="en" dir="ltr" />
      <${FieldErrors} path="input.title" errors=${errors} />
      <${TextField} path="input.body.ar" label=${t("push.bodyAr")} value=${f.bodyAr} onInput=${set("bodyAr")} errors=${errors} lang="ar" dir="rtl" />
      <${TextField} path="input.body.en" label=${t("push.bodyEn")} value=${f.bodyEn} onInput=${set("bodyEn")} errors=${errors} lang="en" dir="ltr" />
      <${FieldErrors} path="input.body" errors=${errors} />
    </div>
    <div class="grid3">
      <div class="field">
        <label for="campaign-segment">${t("members.segment")}</label>
        <select id="campaign-segment" value=${f.segment} onChange=${(e) => set("segment")(e.target.value)}>
          <option value="">${t("common.all")}</option>
          ${SEGMENTS.map((s) => html`<option key=${s} value=${s}>${t(`segment.${s}`)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="campaign-tier">${t("members.tier")}</label>
        <select id="campaign-tier" value=${f.tierId} onChange=${(e) => set("tierId")(e.target.value)}>
          <option value="">${t("common.all")}</option>
          ${tiers.map((x) => html`<option key=${x.id} value=${x.id}>${x.name}</option>`)}
        </select>
      </div>
      <${TextField} path="input.sendAt" label=${t("push.sendDay")} type="date" value=${f.sendDay} onInput=${set("sendDay")} errors=${errors}
        hint=${t("push.sendHint", { tz: program.timezone })} />
      <div class="field">
        <label for="campaign-time">${t("push.sendTime")}</label>
        <input id="campaign-time" type="time" value=${f.sendTime} onInput=${(e) => set("sendTime")(e.target.value)} />
      </div>
    </div>
    <${FormErrors} errors=${errors} shown=${paths} />
    <button type="submit" disabled=${busy}>${t("push.create")}</button>
  </form>`;
}

export function Push() {
  const { t, fmt, lang } = useCtx();
  const [log, setLog] = useState(null);
  const [tiers, setTiers] = useState([]);
  const [member, setMember] = useState("");
  const [list, setList] = useState(null);
  const [error, setError] = useState(null);
  const load = (after) =>
    gql(LOG, { first: 25, after: after || null, member: member.trim() || null }, lang)
      .then((d) => {
        setTiers(d.program.tiers);
        const rows = d.notificationLog.edges.map((e) => e.node);
        setLog({ rows: after ? [...log.rows, ...rows] : rows, page: d.notificationLog.pageInfo });
      })
      .catch((e) => setError(e.message));
  const loadCampaigns = (after) =>
    gql(CAMPAIGNS, { first: 25, after: after || null }, lang)
      .then((d) => {
        const rows = d.campaigns.edges.map((e) => e.node);
        setList({ rows: after ? [...list.rows, ...rows] : rows, page: d.campaigns.pageInfo });
      })
      .catch((e) => setError(e.message));
  useEffect(() => { loadCampaigns(null); }, [lang]);
  const tierName = (id) => (tiers.find((x) => x.id === id) || { name: "—" }).name;
  const audience = (c) => (c.segment ? t(`segment.${c.segment}`) : c.tierId ? tierName(c.tierId) : t("common.all"));
  useEffect(() => {
    const timer = setTimeout(() => load(null), 250);
    return () => clearTimeout(timer);
  }, [member, lang]);
  return html`<div class="page push">
    <div class="page-head"><h1>${t("push.title")}</h1></div>
    ${error && html`<p class="alert" role="alert">${error}</p>`}
    <${CampaignForm} tiers=${tiers} onCreated=${() => loadCampaigns(null)} />
    <section class="card" aria-labelledby="campaigns-title">
      <h2 id="campaigns-title">${t("push.campaigns")}</h2>
      ${!list ? html`<p>${t("common.loading")}</p>` : list.rows.length === 0 ? html`<p class="muted">${t("push.noCampaigns")}</p>` :
        html`<table class="table" data-testid="campaign-table"><thead><tr>
          <th scope="col">${t("push.name")}</th><th scope="col">${t("push.audience")}</th><th scope="col">${t("push.sendAt")}</th>
          <th scope="col">${t("push.status")}</th><th scope="col" class="num">${t("push.queued")}</th>
        </tr></thead><tbody>
          ${list.rows.map((c) => html`<tr key=${c.id}><td>${c.name}</td><td>${audience(c)}</td><td>${fmt.dateTime(c.sendAt)}</td>
            <td>${t(`campaign.${c.status}`)}</td><td class="num">${fmt.num(c.queued)}</td></tr>`)}
        </tbody></table>
        ${list.page.hasNextPage && html`<button type="button" class="secondary" onClick=${() => loadCampaigns(list.page.endCursor)}>${t("common.more")}</button>`}`}
    </section>
    <section class="card" aria-labelledby="log-title">
      <div class="row spread">
        <h2 id="log-title">${t("push.log")}</h2>
        <div class="field">
          <label for="log-member">${t("push.member")}</label>
          <input id="log-member" type="search" dir="ltr" value=${member} onInput=${(e) => setMember(e.target.value)} />
        </div>
      </div>
      ${!log ? html`<p>${t("common.loading")}</p>` : log.rows.length === 0 ? html`<p class="muted">${t("push.empty")}</p>` :
        html`<table class="table" data-testid="notification-log"><thead><tr>
          <th scope="col">${t("member.when")}</th><th scope="col">${t("push.member")}</th>
          <th scope="col">${t("push.kind")}</th><th scope="col">${t("push.status")}</th><th scope="col">${t("push.titleCol")}</th>
        </tr></thead><tbody>
          ${log.rows.map((n) => html`<tr key=${n.id}>
            <td>${fmt.dateTime(n.createdAt)}</td><td dir="ltr">${n.memberExternalId || "—"}</td>
            <td>${t(`notify.${n.kind}`)}</td><td>${n.status}${n.reason ? ` (${n.reason})` : ""}</td><td lang=${n.locale}>${n.title}</td>
          </tr>`)}
        </tbody></table>
        ${log.page.hasNextPage && html`<button type="button" class="secondary" onClick=${() => load(log.page.endCursor)}>${t("common.more")}</button>`}`}
    </section>
  </div>`;
}
