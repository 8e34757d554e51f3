import { html, useState, useEffect } from "./lib.js";
import { gql } from "./api.js";
import { useCtx } from "./ctx.js";

const KEYS = `query Keys { memberTokenKeys { kid alg createdAt } }`;
const ROTATE = `mutation Rotate { rotateMemberTokenSecret { kid memberTokenSecret userErrors { code field message } } }`;
const REVOKE = `mutation Revoke($kid: String!) { revokeMemberTokenKey(kid: $kid) { userErrors { code field message } } }`;

// Member-token keys. A new secret is shown once, here, and never stored by the console.
export function Keys() {
  const { t, fmt, lang } = useCtx();
  const [keys, setKeys] = useState(null);
  const [secret, setSecret] = useState(null);
  const [error, setError] = useState(null);
  const load = () => gql(KEYS, {}, lang).then((d) => setKeys(d.memberTokenKeys)).catch((e) => setError(e.message));
  useEffect(() => { load(); }, []);
  const rotate = async () => {
    const p = (await gql(ROTATE, {}, lang)).rotateMemberTokenSecret;
    if (p.userErrors.length) return setError(p.userErrors[0].message);
    setSecret({ kid: p.kid, value: p.memberTokenSecret });
    load();
  };
  const revoke = async (kid) => {
    const p = (await gql(REVOKE, { kid }, lang)).revokeMemberTokenKey;
    if (p.userErrors.length) return setError(p.userErrors[0].message);
    load();
  };
  return html`<div class="page keys">
    <div class="page-head row spread">
      <h1>${t("keys.title")}</h1>
      <button type="button" class="secondary" onClick=${() => rotate().catch((e) => setError(e.message))}>${t("keys.rotate")}</button>
    </div>
    <p class="muted">${t("keys.intro")}</p>
    ${error && html`<p class="alert" role="alert">${error}</p>`}
    ${secret && html`<div class="notice" role="status">
      <p>${t("keys.once", { kid: secret.kid })}</p>
      <code dir="ltr" class="secret">${secret.value}</code>
    </div>`}
    ${keys && html`<div class="card"><table class="table"><thead><tr>
      <th scope="col">${t("keys.kid")}</th><th scope="col">${t("keys.alg")}</th><th scope="col">${t("keys.created")}</th>
      <th scope="col"><span class="sr-only">${t("common.actions")}</span></th>
    </tr></thead><tbody>
      ${keys.map((k) => html`<tr key=${k.kid}><td dir="ltr">${k.kid}</td><td dir="ltr">${k.alg}</td><td>${fmt.dateTime(k.createdAt)}</td>
        <td>${keys.length > 1 && html`<button type="button" class="ghost" aria-label=${t("keys.revokeNamed", { kid: k.kid })}
          onClick=${() => revoke(k.kid).catch((e) => setError(e.message))}>${t("keys.revoke")}</button>`}</td></tr>`)}
    </tbody></table></div>`}
    <p class="muted">${t("keys.integrations")}</p>
  </div>`;
}
