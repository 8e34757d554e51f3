import { html, useState, useEffect } from "./lib.js";
import { gql } from "./api.js";
import { useCtx } from "./ctx.js";
import { useMutation } from "./mutation.js";
import { TextField, SelectField, CheckField, FormErrors, FieldErrors } from "./fields.js";
import { StoreConnections } from "./stores.js";

const ENDPOINTS = `query WebhookEndpoints {
  webhookEndpoints { id url events active createdAt failingSince disabledAt disabledReason }
}`;
const DELIVERIES = `query WebhookDeliveries($first: Int, $after: String, $status: WebhookDeliveryStatus) {
  webhookDeliveries(first: $first, after: $after, status: $status) {
    edges { node { id endpointId eventId event status attempts createdAt lastAttemptAt lastResponseCode lastError deliveredAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const UPSERT = `mutation UpsertWebhookEndpoint($input: WebhookEndpointInput!) {
  upsertWebhookEndpoint(input: $input) { endpoint { id url } secret userErrors { code field message } }
}`;
const REDELIVER = `mutation RedeliverWebhook($deliveryId: ID!) {
  redeliverWebhook(deliveryId: $deliveryId) { delivery { id status } userErrors { code field message } }
}`;
const EVENTS = ["MEMBER_ENROLLED", "POINTS_EARNED", "POINTS_REDEEMED", "POINTS_EXPIRED", "POINTS_ADJUSTED", "REWARD_REDEEMED",
  "COUPON_CONSUMED", "COUPON_CANCELLED", "TIER_CHANGED", "VIP_TRIAL_STARTED", "VIP_TRIAL_ENDED"];
const STATUSES = ["PENDING", "SENDING", "DELIVERED", "FAILED"];

function EndpointForm({ endpoint, onSaved, onClose }) {
  const { t } = useCtx();
  const [f, setF] = useState(() => endpoint || { url: "https://", events: ["POINTS_EARNED"], active: true });
  const m = useMutation(UPSERT, "upsertWebhookEndpoint", async (payload) => { await onSaved(payload); onClose(); });
  const toggle = (event) => (on) =>
    setF({ ...f, events: on ? [...f.events, event] : f.events.filter((x) => x !== event) });
  const submit = (e) => {
    e.preventDefault();
    m.run({ id: f.id || null, url: f.url.trim(), events: EVENTS.filter((x) => f.events.includes(x)), active: f.active });
  };
  return html`<form class="subform" onSubmit=${submit} novalidate data-testid="endpoint-form">
    <${TextField} path="input.url" label=${t("hooks.url")} value=${f.url} onInput=${(v) => setF({ ...f, url: v })}
      errors=${m.errors} dir="ltr" type="url" hint=${t("hooks.urlHint")} />
    <fieldset aria-describedby=${m.errors["input.events"] ? "f-input-events-error" : null}>
      <legend>${t("hooks.events")}</legend>
      <div class="grid3">
        ${EVENTS.map((x) => html`<${CheckField} key=${x} id=${`event-${x}`} label=${t(`hook.${x}`)}
          checked=${f.events.includes(x)} onChange=${toggle(x)} />`)}
      </div>
      <${FieldErrors} path="input.events" errors=${m.errors} />
    </fieldset>
    <${CheckField} id="endpoint-active" label=${t("program.active")} checked=${f.active} onChange=${(v) => setF({ ...f, active: v })} />
    <${FormErrors} errors=${m.errors} shown=${["input.url", "input.events"]} />
    <div class="actions">
      <button type="submit" data-testid="endpoint-save" disabled=${m.busy}>${t("common.save")}</button>
      <button type="button" class="ghost" onClick=${onClose}>${t("common.cancel")}</button>
    </div>
  </form>`;
}

function Deliveries({ endpoints, version }) {
  const { t, fmt, lang } = useCtx();
  const [status, setStatus] = useState("");
  const [list, setList] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const load = (after) =>
    gql(DELIVERIES, { first: 25, after: after || null, status: status || null }, lang)
      .then((d) => {
        const rows = d.webhookDeliveries.edges.map((e) => e.node);
        setList({ rows: after ? [...list.rows, ...rows] : rows, page: d.webhookDeliveries.pageInfo });
      })
      .catch((e) => setError(e.message));
  useEffect(() => { load(null); }, [status, lang, version]);
  const redeliver = async (id) => {
    setNotice(null);
    try {
      const p = (await gql(REDELIVER, { deliveryId: id }, lang)).redeliverWebhook;
      if (p.userErrors.length) return setError(p.userErrors[0].message);
      setError(null);
      setNotice(t("hooks.redelivered"));
      await load(null);
    } catch (e) {
      setError(e.message);
    }
  };
  const urlOf = (id) => (endpoints.find((x) => x.id === id) || { url: "—" }).url;
  return html`<section class="card" aria-labelledby="deliveries-title">
    <div class="row spread">
      <h2 id="deliveries-title">${t("hooks.deliveries")}</h2>
      <${SelectField} path="delivery-status" label=${t("push.status")} value=${status} onChange=${setStatus}
        options=${[["", t("common.all")], ...STATUSES.map((s) => [s, t(`delivery.${s}`)])]} />
    </div>
    ${error && html`<p class="alert" role="alert">${error}</p>`}
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    ${!list ? html`<p>${t("common.loading")}</p>` : list.rows.length === 0 ? html`<p class="muted">${t("hooks.noDeliveries")}</p>` :
      html`<table class="table" data-testid="delivery-table"><thead><tr>
        <th scope="col">${t("member.when")}</th><th scope="col">${t("hooks.event")}</th><th scope="col">${t("hooks.url")}</th>
        <th scope="col">${t("push.status")}</th><th scope="col" class="num">${t("hooks.attempts")}</th>
        <th scope="col">${t("hooks.answer")}</th><th scope="col"><span class="sr-only">${t("common.actions")}</span></th>
      </tr></thead><tbody>
        ${list.rows.map((d) => html`<tr key=${d.id}>
          <td>${fmt.dateTime(d.createdAt)}</td><td>${t(`hook.${d.event}`)}</td><td dir="ltr">${urlOf(d.endpointId)}</td>
          <td>${t(`delivery.${d.status}`)}</td><td class="num">${fmt.num(d.attempts)}</td>
          <td dir="ltr">${d.lastResponseCode ?? ""}${d.lastError ? ` ${d.lastError}` : ""}</td>
          <td>${d.status !== "SENDING" && html`<button type="button" class="ghost" data-testid="redeliver"
            aria-label=${t("hooks.redeliverNamed", { id: d.eventId })} onClick=${() => redeliver(d.id)}>${t("hooks.redeliver")}</button>`}</td>
        </tr>`)}
      </tbody></table>
      ${list.page.hasNextPage && html`<button type="button" class="secondary" onClick=${() => load(list.page.endCursor)}>${t("common.more")}</button>`}`}
  </section>`;
}

// Store connections, then outbound webhooks: endpoints (the signing secret shown once, when created) and deliveries.
export function Integrations() {
  const { t, fmt, lang } = useCtx();
  const [endpoints, setEndpoints] = useState(null);
  const [editing, setEditing] = useState(null);
  const [secret, setSecret] = useState(null);
  const [error, setError] = useState(null);
  const [version, setVersion] = useState(0);
  const load = () => gql(ENDPOINTS, {}, lang).then((d) => { setEndpoints(d.webhookEndpoints); setVersion((v) => v + 1); })
    .catch((e) => setError(e.message));
  useEffect(() => { load(); }, []);
  const saved = async (payload) => {
    setSecret(payload.secret ? { url: payload.endpoint.url, value: payload.secret } : null);
    await load();
  };
  const state = (x) => (x.disabledAt ? t("hooks.disabled") : !x.active ? t("hooks.paused") : x.failingSince ? t("hooks.failing") : t("hooks.ok"));
  return html`<div class="page integrations">
    <div class="page-head row spread">
      <h1>${t("hooks.title")}</h1>
      <button type="button" class="secondary" onClick=${() => setEditing({ item: null })}>${t("hooks.new")}</button>
    </div>
    <p class="muted">${t("hooks.intro")}</p>
    ${error && html`<p class="alert" role="alert">${error}</p>`}
    ${secret && html`<div class="notice" role="status" data-testid="endpoint-secret">
      <p>${t("hooks.secretOnce", { url: secret.url })}</p>
      <code dir="ltr" class="secret">${secret.value}</code>
    </div>`}
    <section class="card" aria-labelledby="endpoints-title">
      <h2 id="endpoints-title">${t("hooks.endpoints")}</h2>
      ${editing && html`<${EndpointForm} key=${editing.item ? editing.item.id : "new"} endpoint=${editing.item} onSaved=${saved} onClose=${() => setEditing(null)} />`}
      ${!endpoints ? html`<p>${t("common.loading")}</p>` : endpoints.length === 0 ? html`<p class="muted">${t("hooks.none")}</p>` :
        html`<table class="table" data-testid="endpoint-table"><thead><tr>
          <th scope="col">${t("hooks.url")}</th><th scope="col">${t("hooks.events")}</th><th scope="col">${t("push.status")}</th>
          <th scope="col">${t("keys.created")}</th><th scope="col"><span class="sr-only">${t("common.actions")}</span></th>
        </tr></thead><tbody>
          ${endpoints.map((x) => html`<tr key=${x.id}>
            <td dir="ltr">${x.url}</td><td>${x.events.map((e) => t(`hook.${e}`)).join(lang === "ar" ? "، " : ", ")}</td>
            <td>${state(x)}${x.disabledReason ? ` (${x.disabledReason})` : ""}</td><td>${fmt.dateTime(x.createdAt)}</td>
            <td><button type="button" class="ghost" aria-label=${t("hooks.editNamed", { url: x.url })}
              onClick=${() => { setSecret(null); setEditing({ item: { id: x.id, url: x.url, events: x.events, active: x.active } }); }}>${t("common.edit")}</button></td>
          </tr>`)}
        </tbody></table>`}
    </section>
    ${endpoints && html`<${Deliveries} endpoints=${endpoints} version=${version} />`}
    <${StoreConnections} />
  </div>`;
}
