import { html, useState, useEffect } from "./lib.js";
import { gql } from "./api.js";
import { useCtx } from "./ctx.js";
import { useMutation } from "./mutation.js";
import { TextField, SelectField, FormErrors } from "./fields.js";

const LIST = `query StoreConnections {
  storeConnections { platform storeId webhookUrl earnOn connectedAt lastEventAt eventsAccepted eventsRejected }
}`;
const CONNECT = `mutation ConnectStore($input: ConnectStoreInput!) {
  connectStore(input: $input) { connection { platform webhookUrl } userErrors { code field message } }
}`;
const DISCONNECT = `mutation DisconnectStore($platform: StorePlatform!) {
  disconnectStore(platform: $platform) { userErrors { code field message } }
}`;
const PLATFORMS = ["SALLA", "ZID", "SHOPIFY", "CUSTOM"];
const STAGES = ["CREATED", "PAID", "DELIVERED"];

// The store's order webhooks: connect (the secret is sent, never shown back), the URL to paste
// into the platform, what came in, and disconnect.
export function StoreConnections() {
  const { t, fmt, lang } = useCtx();
  const [list, setList] = useState(null);
  const [error, setError] = useState(null);
  const [f, setF] = useState({ platform: "SALLA", webhookSecret: "", storeId: "", earnOn: "PAID" });
  const load = () => gql(LIST, {}, lang).then((d) => setList(d.storeConnections)).catch((e) => setError(e.message));
  useEffect(() => { load(); }, []);
  const m = useMutation(CONNECT, "connectStore", async () => { setF({ ...f, webhookSecret: "" }); await load(); });
  const set = (name) => (value) => setF({ ...f, [name]: value });
  const submit = (e) => {
    e.preventDefault();
    m.run({ platform: f.platform, webhookSecret: f.webhookSecret, storeId: f.storeId.trim() || null, earnOn: f.earnOn });
  };
  const disconnect = async (platform) => {
    try {
      const p = (await gql(DISCONNECT, { platform }, lang)).disconnectStore;
      if (p.userErrors.length) return setError(p.userErrors[0].message);
      setError(null);
      await load();
    } catch (e) {
      setError(e.message);
    }
  };
  return html`<section class="card" aria-labelledby="stores-title">
    <h2 id="stores-title">${t("stores.title")}</h2>
    ${error && html`<p class="alert" role="alert">${error}</p>`}
    ${!list ? html`<p>${t("common.loading")}</p>` : list.length === 0 ? html`<p class="muted">${t("stores.none")}</p>` :
      html`<table class="table" data-testid="store-table"><thead><tr>
        <th scope="col">${t("stores.platform")}</th><th scope="col">${t("stores.webhookUrl")}</th><th scope="col">${t("stores.earnOn")}</th>
        <th scope="col" class="num">${t("stores.accepted")}</th><th scope="col" class="num">${t("stores.rejected")}</th>
        <th scope="col">${t("stores.lastEvent")}</th><th scope="col"><span class="sr-only">${t("common.actions")}</span></th>
      </tr></thead><tbody>
        ${list.map((c) => html`<tr key=${c.platform}>
          <td>${t(`platform.${c.platform}`)}${c.storeId ? ` · ${c.storeId}` : ""}</td><td dir="ltr"><code>${c.webhookUrl}</code></td>
          <td>${t(`stage.${c.earnOn}`)}</td><td class="num">${fmt.num(c.eventsAccepted)}</td><td class="num">${fmt.num(c.eventsRejected)}</td>
          <td>${c.lastEventAt ? fmt.dateTime(c.lastEventAt) : "—"}</td>
          <td><button type="button" class="ghost" data-testid="store-disconnect" onClick=${() => disconnect(c.platform)}
            aria-label=${t("stores.disconnectNamed", { platform: t(`platform.${c.platform}`) })}>${t("stores.disconnect")}</button></td>
        </tr>`)}
      </tbody></table>`}
    <form class="subform" onSubmit=${submit} novalidate data-testid="store-form">
      <div class="grid3">
        <${SelectField} path="input.platform" label=${t("stores.platform")} value=${f.platform} onChange=${set("platform")}
          errors=${m.errors} options=${PLATFORMS.map((p) => [p, t(`platform.${p}`)])} />
        <${TextField} path="input.webhookSecret" label=${t("stores.secret")} type="password" autocomplete="off"
          value=${f.webhookSecret} onInput=${set("webhookSecret")} errors=${m.errors} dir="ltr" hint=${t("stores.secretHint")} />
        <${TextField} path="input.storeId" label=${t("stores.storeId")} value=${f.storeId} onInput=${set("storeId")} errors=${m.errors} dir="ltr" />
        <${SelectField} path="input.earnOn" label=${t("stores.earnOn")} value=${f.earnOn} onChange=${set("earnOn")}
          errors=${m.errors} options=${STAGES.map((s) => [s, t(`stage.${s}`)])} />
      </div>
      <${FormErrors} errors=${m.errors} shown=${["input.platform", "input.webhookSecret", "input.storeId", "input.earnOn"]} />
      ${m.ok && html`<p class="notice" role="status">${t("stores.connected")}</p>`}
      <button type="submit" data-testid="store-connect" disabled=${m.busy}>${t("stores.connect")}</button>
    </form>
  </section>`;
}
