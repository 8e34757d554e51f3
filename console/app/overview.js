import { html, useState, useEffect } from "./lib.js";
import { gql } from "./api.js";
import { useCtx } from "./ctx.js";
import { zonedMidnight, localDay, nextDay } from "./format.js";
import { SeriesChart, BarChart } from "./charts.js";

const STATS = `query Overview($from: DateTime!, $to: DateTime!, $granularity: StatsGranularity!) {
  stats(from: $from, to: $to) {
    currency pointsIssued pointsRedeemed pointsExpired pointsAdjusted pointsRefunded
    outstandingPoints outstandingPendingPoints outstandingLiability outstandingPendingLiability
    redemptionRate breakage activeMembers newMembers orders customers repeatCustomers
    repeatPurchaseRate retentionRate purchaseFrequency averageOrderValue customerLifetimeValue
    annualCustomerValue revenueFromMembers lifespanYears
    tierDistribution { tierId name members }
    segmentDistribution { segment members }
    series(granularity: $granularity) { start end pointsIssued pointsRedeemed pointsExpired orders }
  }
}`;

function Figure({ label, value, raw, name }) {
  return html`<div class="figure" data-figure=${name} data-value=${raw ?? ""}>
    <dt>${label}</dt>
    <dd>${value}</dd>
  </div>`;
}

export function Overview() {
  const { t, fmt, lang, program } = useCtx();
  const tz = program.timezone;
  const [range, setRange] = useState({ from: localDay(tz, -89), to: localDay(tz, 0) });
  const [granularity, setGranularity] = useState("WEEK");
  const [stats, setStats] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    if (!range.from || !range.to || range.from > range.to) {
      setError(t("overview.badRange"));
      return;
    }
    setError(null);
    const variables = {
      from: zonedMidnight(range.from, tz).toISOString(),
      to: zonedMidnight(nextDay(range.to), tz).toISOString(),
      granularity,
    };
    gql(STATS, variables, lang)
      .then((data) => setStats({ ...data.stats, variables }))
      .catch((e) => setError(e.message));
  }, [range.from, range.to, granularity, lang]);

  const s = stats;
  const money = (v) => fmt.money(v, s && s.currency);
  return html`<div class="page overview">
    <div class="page-head">
      <h1>${t("overview.title")}</h1>
      <form class="range" onSubmit=${(e) => e.preventDefault()}>
        <div class="field">
          <label for="range-from">${t("overview.from")}</label>
          <input id="range-from" type="date" value=${range.from}
            onChange=${(e) => setRange({ ...range, from: e.target.value })} />
        </div>
        <div class="field">
          <label for="range-to">${t("overview.to")}</label>
          <input id="range-to" type="date" value=${range.to}
            onChange=${(e) => setRange({ ...range, to: e.target.value })} />
        </div>
        <div class="field">
          <label for="granularity">${t("overview.granularity")}</label>
          <select id="granularity" value=${granularity} onChange=${(e) => setGranularity(e.target.value)}>
            ${["DAY", "WEEK", "MONTH"].map((g) => html`<option key=${g} value=${g}>${t(`overview.${g}`)}</option>`)}
          </select>
        </div>
        <p class="hint">${t("overview.timezone", { tz })}</p>
      </form>
    </div>
    ${error && html`<p class="alert" role="alert">${error}</p>`}
    ${s &&
    html`<div data-testid="stats" data-from=${s.variables.from} data-to=${s.variables.to}>
      <section class="card" aria-labelledby="points-title">
        <h2 id="points-title">${t("overview.points")}</h2>
        <dl class="figures">
          <${Figure} name="pointsIssued" label=${t("overview.issued")} value=${fmt.num(s.pointsIssued)} raw=${s.pointsIssued} />
          <${Figure} name="pointsRedeemed" label=${t("overview.redeemed")} value=${fmt.num(s.pointsRedeemed)} raw=${s.pointsRedeemed} />
          <${Figure} name="pointsExpired" label=${t("overview.expired")} value=${fmt.num(s.pointsExpired)} raw=${s.pointsExpired} />
          <${Figure} name="redemptionRate" label=${t("overview.redemptionRate")} value=${fmt.pct(s.redemptionRate)} raw=${s.redemptionRate} />
        </dl>
        <${SeriesChart} buckets=${s.series} lang=${lang} title=${t("overview.seriesTitle")}
          labels=${[["pointsIssued", t("overview.issued")], ["pointsRedeemed", t("overview.redeemed")], ["pointsExpired", t("overview.expired")]]}
          colors=${["#1f7a4d", "#6b2c91", "#b3261e"]} />
      </section>
      <section class="card" aria-labelledby="money-title">
        <h2 id="money-title">${t("overview.value")}</h2>
        <dl class="figures">
          <${Figure} name="outstandingLiability" label=${t("overview.liability")} value=${money(s.outstandingLiability)} raw=${s.outstandingLiability} />
          <${Figure} name="outstandingPoints" label=${t("overview.outstanding")} value=${fmt.num(s.outstandingPoints)} raw=${s.outstandingPoints} />
          <${Figure} name="retentionRate" label=${t("overview.retention")} value=${fmt.pct(s.retentionRate)} raw=${s.retentionRate} />
          <${Figure} name="averageOrderValue" label=${t("overview.aov")} value=${money(s.averageOrderValue)} raw=${s.averageOrderValue} />
          <${Figure} name="customerLifetimeValue" label=${t("overview.clv")} value=${money(s.customerLifetimeValue)} raw=${s.customerLifetimeValue} />
          <${Figure} name="activeMembers" label=${t("overview.active")} value=${fmt.num(s.activeMembers)} raw=${s.activeMembers} />
          <${Figure} name="repeatPurchaseRate" label=${t("overview.repeat")} value=${fmt.pct(s.repeatPurchaseRate)} raw=${s.repeatPurchaseRate} />
          <${Figure} name="purchaseFrequency" label=${t("overview.frequency")} value=${fmt.num(s.purchaseFrequency)} raw=${s.purchaseFrequency} />
        </dl>
      </section>
      <div class="two">
        <section class="card">
          <${BarChart} rtl=${lang === "ar"} testid="tier-chart" title=${t("overview.byTier")} fmt=${fmt}
            rows=${s.tierDistribution.map((r) => ({ label: r.name, value: r.members }))} />
        </section>
        <section class="card">
          <${BarChart} rtl=${lang === "ar"} testid="segment-chart" title=${t("overview.bySegment")} fmt=${fmt}
            rows=${s.segmentDistribution.map((r) => ({ label: t(`segment.${r.segment}`), value: r.members }))} />
        </section>
      </div>
    </div>`}
  </div>`;
}
