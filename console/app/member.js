import { html, useState, useEffect } from "./lib.js";
import { gql, errorsByField, newKey } from "./api.js";
import { useCtx } from "./ctx.js";
import { TextField, FormErrors } from "./fields.js";
import { Members } from "./members.js";

const MEMBER = `query MemberPage($id: ID!) {
  member(externalId: $id) {
    externalId displayName email phone locale joinedAt segment referralCode firstOrderAt lastOrderAt
    tier { tier { name } isTrial trialEndsAt qualifyingValue nextTier { name } remainingToNextTier }
    wallet {
      balance pendingBalance lifetimeEarned
      expiringSoon(withinDays: 3650) { points expiresAt }
      transactions(first: 50) { edges { node { id type points balanceAfter reason orderId createdAt } } }
    }
    badges { badge { id name } earned earnedAt progress goal }
    orders(first: 20) { edges { node { orderId total currency placedAt pointsEarned refundedTotal pending } } }
  }
}`;
const ADJUST = `mutation Adjust($input: AdjustPointsInput!) {
  adjustPoints(input: $input) { member { wallet { balance } } userErrors { code field message } }
}`;

function Adjust({ externalId, onDone }) {
  const { t, lang } = useCtx();
  // One key per intended adjustment: a retry of the same form content is the same operation.
  const [form, setForm] = useState({ points: "", reason: "", key: newKey() });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(null);
  const set = (name) => (value) => setForm({ ...form, [name]: value, key: newKey() });

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setDone(null);
    const points = Number.parseInt(form.points, 10);
    try {
      const data = await gql(ADJUST, {
        input: { memberExternalId: externalId, points: Number.isNaN(points) ? 0 : points, reason: form.reason, idempotencyKey: form.key },
      }, lang);
      const payload = data.adjustPoints;
      setErrors(errorsByField(payload.userErrors));
      if (!payload.userErrors.length) {
        setDone(t("member.adjusted", { balance: payload.member.wallet.balance }));
        setForm({ points: "", reason: "", key: newKey() });
        onDone();
      }
    } catch (e) {
      setErrors({ "": [{ message: e.message }] });
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="card" onSubmit=${submit} novalidate aria-labelledby="adjust-title">
    <h2 id="adjust-title">${t("member.adjust")}</h2>
    <div class="two">
      <${TextField} path="input.points" label=${t("member.points")} value=${form.points} type="number"
        step="1" dir="ltr" onInput=${set("points")} errors=${errors} hint=${t("member.pointsHint")} />
      <${TextField} path="input.reason" label=${t("member.reason")} value=${form.reason}
        onInput=${set("reason")} errors=${errors} maxlength="200" />
    </div>
    <${FormErrors} errors=${errors} shown=${["input.points", "input.reason"]} />
    ${done && html`<p class="notice" role="status">${done}</p>`}
    <button type="submit" disabled=${busy} data-testid="adjust-submit">${t("member.apply")}</button>
  </form>`;
}

export function MemberPage({ externalId }) {
  const { t, fmt, lang } = useCtx();
  const [member, setMember] = useState(undefined);
  const [error, setError] = useState(null);
  const load = () =>
    gql(MEMBER, { id: externalId }, lang).then((d) => setMember(d.member)).catch((e) => setError(e.message));
  useEffect(() => { load(); }, [externalId, lang]);

  if (error) return html`<p class="alert" role="alert">${error}</p>`;
  if (member === undefined) return html`<p>${t("common.loading")}</p>`;
  if (member === null) return html`<p class="alert" role="alert">${t("member.notFound")}</p>`;
  const m = member;
  const w = m.wallet;
  return html`<div class="page member">
    <p><a href="#/members">${t("member.back")}</a></p>
    <div class="page-head">
      <h1>${m.displayName || m.externalId}</h1>
      <p class="muted"><span dir="ltr">${m.externalId}</span> · ${t(`segment.${m.segment}`)} ·
        ${t("member.joined", { date: fmt.date(m.joinedAt) })}</p>
    </div>
    <dl class="figures card">
      <div class="figure" data-figure="balance"><dt>${t("member.balance")}</dt><dd>${fmt.num(w.balance)}</dd></div>
      <div class="figure"><dt>${t("member.pending")}</dt><dd>${fmt.num(w.pendingBalance)}</dd></div>
      <div class="figure"><dt>${t("member.lifetime")}</dt><dd>${fmt.num(w.lifetimeEarned)}</dd></div>
      <div class="figure"><dt>${t("member.tier")}</dt><dd>${m.tier.tier.name}${m.tier.isTrial ? ` (${t("member.trial")})` : ""}</dd></div>
    </dl>
    <${Adjust} externalId=${m.externalId} onDone=${load} />
    <div class="two">
      <section class="card" aria-labelledby="lots-title">
        <h2 id="lots-title">${t("member.lots")}</h2>
        ${w.expiringSoon.length === 0
          ? html`<p class="muted">${t("member.noLots")}</p>`
          : html`<table class="table"><thead><tr>
              <th scope="col">${t("member.expiresAt")}</th><th scope="col" class="num">${t("member.points")}</th>
            </tr></thead><tbody>
              ${w.expiringSoon.map((lot) => html`<tr key=${lot.expiresAt}><td>${fmt.date(lot.expiresAt)}</td><td class="num">${fmt.num(lot.points)}</td></tr>`)}
            </tbody></table>`}
        <h2>${t("member.tierProgress")}</h2>
        <p>${m.tier.nextTier
          ? t("member.toNext", { tier: m.tier.nextTier.name, amount: fmt.num(m.tier.remainingToNextTier) })
          : t("member.topTier")}</p>
        <h2>${t("member.badges")}</h2>
        <ul class="badges">
          ${m.badges.map((b) => html`<li key=${b.badge.id} class=${b.earned ? "earned" : ""}>
            ${b.badge.name} · ${b.earned ? fmt.date(b.earnedAt) : `${fmt.num(b.progress)} / ${fmt.num(b.goal)}`}
          </li>`)}
        </ul>
      </section>
      <section class="card" aria-labelledby="orders-title">
        <h2 id="orders-title">${t("member.orders")}</h2>
        <table class="table"><thead><tr>
          <th scope="col">${t("member.order")}</th><th scope="col">${t("member.placed")}</th>
          <th scope="col" class="num">${t("member.total")}</th><th scope="col" class="num">${t("member.earned")}</th>
        </tr></thead><tbody>
          ${m.orders.edges.map(({ node: o }) => html`<tr key=${o.orderId}>
            <td dir="ltr">${o.orderId}</td><td>${fmt.date(o.placedAt)}</td>
            <td class="num">${fmt.money(o.total, o.currency)}</td>
            <td class="num">${fmt.num(o.pointsEarned)}${o.pending ? ` (${t("member.pendingShort")})` : ""}</td>
          </tr>`)}
        </tbody></table>
      </section>
    </div>
    <section class="card" aria-labelledby="ledger-title">
      <h2 id="ledger-title">${t("member.ledger")}</h2>
      <table class="table" data-testid="ledger"><thead><tr>
        <th scope="col">${t("member.when")}</th><th scope="col">${t("member.type")}</th>
        <th scope="col" class="num">${t("member.points")}</th><th scope="col" class="num">${t("member.balanceAfter")}</th>
        <th scope="col">${t("member.reason")}</th>
      </tr></thead><tbody>
        ${w.transactions.edges.map(({ node: x }) => html`<tr key=${x.id} data-type=${x.type}>
          <td>${fmt.dateTime(x.createdAt)}</td><td>${t(`tx.${x.type}`)}</td>
          <td class="num" dir="ltr">${fmt.signed(x.points)}</td>
          <td class="num">${fmt.num(x.balanceAfter)}</td>
          <td>${x.reason || (x.orderId ? html`<span dir="ltr">${x.orderId}</span>` : "")}</td>
        </tr>`)}
      </tbody></table>
    </section>
  </div>`;
}

export function MembersRoute({ arg }) {
  return arg ? html`<${MemberPage} externalId=${arg} />` : html`<${Members} />`;
}
