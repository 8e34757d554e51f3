import { html, useState, useEffect } from "./lib.js";
import { gql, download } from "./api.js";
import { useCtx } from "./ctx.js";
import { zonedMidnight, localDay, nextDay } from "./format.js";

const SEGMENTS = ["CHAMPION", "LOYAL", "REGULAR", "AT_RISK", "NEW"];
const SORTS = ["JOINED_DESC", "LIFETIME_POINTS_DESC", "LAST_ORDER_DESC"];
const LIST = `query MemberList($first: Int, $after: String, $search: String, $segment: Segment,
  $tierId: ID, $inactiveSince: DateTime, $sort: MemberSort!) {
  members(first: $first, after: $after, search: $search, segment: $segment, tierId: $tierId,
    inactiveSince: $inactiveSince, sort: $sort) {
    edges { node { externalId displayName phone email segment joinedAt lastOrderAt
      tier { tier { name } } wallet { balance lifetimeEarned } } }
    pageInfo { hasNextPage endCursor }
  }
  program { tiers { id name rank } }
}`;

// The ledger of [from, to] (whole days in the program's zone) as CSV. The key travels in the
// Authorization header of a fetch, never in the URL; the browser saves the answer as a blob.
function LedgerExport({ onError }) {
  const { t, lang, program } = useCtx();
  const tz = program.timezone;
  const [range, setRange] = useState(() => ({ from: localDay(tz, -30), to: localDay(tz) }));
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    const query = new URLSearchParams({
      from: zonedMidnight(range.from, tz).toISOString(),
      to: zonedMidnight(nextDay(range.to), tz).toISOString(),
    });
    try {
      await download(`/export/ledger.csv?${query}`, `ledger-${range.from}-${range.to}.csv`, lang);
    } catch (err) {
      onError(err.message);
    } finally {
      setBusy(false);
    }
  };
  const set = (name) => (e) => setRange({ ...range, [name]: e.target.value });
  return html`<form class="row ledger-export" onSubmit=${submit} aria-label=${t("members.ledgerExport")}>
    <div class="field"><label for="ledger-from">${t("members.ledgerFrom")}</label>
      <input id="ledger-from" type="date" value=${range.from} onChange=${set("from")} /></div>
    <div class="field"><label for="ledger-to">${t("members.ledgerTo")}</label>
      <input id="ledger-to" type="date" value=${range.to} onChange=${set("to")} /></div>
    <button type="submit" class="secondary" data-testid="ledger-export" disabled=${busy}>${t("members.ledgerExport")}</button>
  </form>`;
}

export function Members() {
  const { t, fmt, lang, program } = useCtx();
  const [filters, setFilters] = useState({ search: "", segment: "", tierId: "", inactive: "", sort: "JOINED_DESC" });
  const [rows, setRows] = useState(null);
  const [page, setPage] = useState(null);
  const [tiers, setTiers] = useState([]);
  const [error, setError] = useState(null);

  const fetchPage = async (after) => {
    const variables = {
      first: 25,
      after,
      search: filters.search.trim() || null,
      segment: filters.segment || null,
      tierId: filters.tierId || null,
      inactiveSince: filters.inactive ? zonedMidnight(filters.inactive, program.timezone).toISOString() : null,
      sort: filters.sort,
    };
    const data = await gql(LIST, variables, lang);
    setTiers(data.program.tiers);
    const found = data.members.edges.map((e) => e.node);
    setRows(after ? [...(rows || []), ...found] : found);
    setPage(data.members.pageInfo);
  };

  useEffect(() => {
    const timer = setTimeout(() => {
      setError(null);
      fetchPage(null).catch((e) => setError(e.message));
    }, 250);
    return () => clearTimeout(timer);
  }, [filters.search, filters.segment, filters.tierId, filters.inactive, filters.sort, lang]);

  const set = (name) => (e) => setFilters({ ...filters, [name]: e.target.value });
  const exportCsv = () =>
    download("/export/members.csv", "members.csv", lang).catch((e) => setError(e.message));

  return html`<div class="page members">
    <div class="page-head row spread">
      <h1>${t("members.title")}</h1>
      <div class="row">
        <button type="button" class="secondary" data-testid="members-export" onClick=${exportCsv}>${t("members.export")}</button>
        <${LedgerExport} onError=${setError} />
      </div>
    </div>
    <form class="card filters" role="search" onSubmit=${(e) => e.preventDefault()}>
      <div class="field grow">
        <label for="member-search">${t("members.search")}</label>
        <input id="member-search" type="search" value=${filters.search} onInput=${set("search")}
          aria-describedby="member-search-hint" />
        <p class="hint" id="member-search-hint">${t("members.searchHint")}</p>
      </div>
      <div class="field">
        <label for="member-segment">${t("members.segment")}</label>
        <select id="member-segment" value=${filters.segment} onChange=${set("segment")}>
          <option value="">${t("common.all")}</option>
          ${SEGMENTS.map((s) => html`<option key=${s} value=${s}>${t(`segment.${s}`)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="member-tier">${t("members.tier")}</label>
        <select id="member-tier" value=${filters.tierId} onChange=${set("tierId")}>
          <option value="">${t("common.all")}</option>
          ${tiers.map((tier) => html`<option key=${tier.id} value=${tier.id}>${tier.name}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="member-inactive">${t("members.inactiveSince")}</label>
        <input id="member-inactive" type="date" value=${filters.inactive} onChange=${set("inactive")} />
      </div>
      <div class="field">
        <label for="member-sort">${t("members.sort")}</label>
        <select id="member-sort" value=${filters.sort} onChange=${set("sort")}>
          ${SORTS.map((s) => html`<option key=${s} value=${s}>${t(`members.sort.${s}`)}</option>`)}
        </select>
      </div>
    </form>
    ${error && html`<p class="alert" role="alert">${error}</p>`}
    ${rows === null
      ? html`<p>${t("common.loading")}</p>`
      : rows.length === 0
        ? html`<p class="muted" role="status">${t("members.none")}</p>`
        : html`<div class="card table-wrap">
            <table class="table" data-testid="member-table">
              <caption class="sr-only">${t("members.title")}</caption>
              <thead><tr>
                <th scope="col">${t("members.name")}</th>
                <th scope="col">${t("members.id")}</th>
                <th scope="col">${t("members.tier")}</th>
                <th scope="col">${t("members.segment")}</th>
                <th scope="col" class="num">${t("members.balance")}</th>
                <th scope="col">${t("members.lastOrder")}</th>
              </tr></thead>
              <tbody>
                ${rows.map(
                  (m) => html`<tr key=${m.externalId}>
                    <td><a href=${`#/members/${encodeURIComponent(m.externalId)}`}>${m.displayName || m.externalId}</a></td>
                    <td dir="ltr">${m.externalId}</td>
                    <td>${m.tier.tier.name}</td>
                    <td>${t(`segment.${m.segment}`)}</td>
                    <td class="num">${fmt.num(m.wallet.balance)}</td>
                    <td>${fmt.date(m.lastOrderAt)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
            ${page && page.hasNextPage &&
            html`<button type="button" class="secondary" onClick=${() => fetchPage(page.endCursor).catch((e) => setError(e.message))}>
              ${t("common.more")}</button>`}
          </div>`}
  </div>`;
}
