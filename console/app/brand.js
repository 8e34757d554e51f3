import { html, useState, useEffect } from "./lib.js";
import { gql, gqlUpload, errorsByField } from "./api.js";
import { useCtx } from "./ctx.js";
import { FieldErrors, FormErrors, fieldId } from "./fields.js";
import { Phone } from "./preview.js";

const COLOR_NAMES = [
  "primary", "onPrimary", "secondary", "onSecondary", "background", "onBackground",
  "surface", "onSurface", "accent", "error",
];
const OPTIONAL = ["accent", "error"];
const FONTS = [
  "Alexandria", "Almarai", "Amiri", "Baloo Bhaijaan 2", "Cairo", "Changa", "El Messiri",
  "IBM Plex Sans Arabic", "Markazi Text", "Readex Pro", "Rubik", "Tajawal",
];
const COLORS = `fragment Colors on ThemeColors {
  primary onPrimary secondary onSecondary background onBackground surface onSurface accent error
}`;
const THEME_FIELDS = `colors { ...Colors } darkColors { ...Colors } fontFamily cornerRadius logoUrl
  icons { platform size url }`;
const LOAD = `query BrandLoad {
  appThemeDraft { ${THEME_FIELDS} updatedAt }
  appTheme { version publishedAt rolledBackFrom ${THEME_FIELDS} }
}
${COLORS}`;
const PREVIEW_PROGRAM = `query BrandPreviewProgram {
  program { name currency pointsName { format(count: 1250) } tiers { name rank } rewards { name cost } }
}`;
const SAVE = `mutation SaveTheme($input: AppThemeInput!) {
  saveAppTheme(input: $input) { draft { ${THEME_FIELDS} updatedAt } userErrors { code field message } }
}
${COLORS}`;
const PUBLISH = `mutation PublishTheme {
  publishAppTheme { theme { version publishedAt } userErrors { code field message } }
}`;
const ROLLBACK = `mutation RollbackTheme($version: Int!) {
  rollbackAppTheme(version: $version) { theme { version rolledBackFrom } userErrors { code field message } }
}`;
const UPLOAD = `mutation UploadIcon($file: Upload!) {
  uploadAppIcon(file: $file) { icons { platform size url } userErrors { code field message } }
}`;
const HISTORY_SIZE = 10;

function formFrom(theme) {
  const colors = (group) => (group ? Object.fromEntries(COLOR_NAMES.map((n) => [n, group[n] || ""])) : null);
  return {
    colors: colors(theme.colors),
    darkColors: colors(theme.darkColors),
    fontFamily: theme.fontFamily || "",
    cornerRadius: theme.cornerRadius ?? 12,
    logoUrl: theme.logoUrl || "",
  };
}

function inputFrom(form) {
  const colors = (group) =>
    group && Object.fromEntries(COLOR_NAMES.map((n) => [n, OPTIONAL.includes(n) && !group[n] ? null : group[n]]));
  return {
    colors: colors(form.colors),
    darkColors: colors(form.darkColors),
    fontFamily: form.fontFamily || null,
    cornerRadius: Number(form.cornerRadius),
    logoUrl: form.logoUrl || null,
  };
}

function ColorField({ group, name, value, onChange, errors }) {
  const { t } = useCtx();
  const path = `input.${group}.${name}`;
  const id = fieldId(path);
  const invalid = Boolean(errors[path]);
  const swatch = /^#[0-9A-Fa-f]{6}$/.test(value) ? value : "#000000";
  return html`<div class=${`color-field${invalid ? " invalid" : ""}`}>
    <label for=${id}>${t(`color.${name}`)}${OPTIONAL.includes(name) ? ` (${t("common.optional")})` : ""}</label>
    <div class="color-inputs">
      <input type="color" value=${swatch} aria-label=${t("brand.pick", { name: t(`color.${name}`) })}
        onInput=${(e) => onChange(e.target.value.toUpperCase())} />
      <input id=${id} type="text" dir="ltr" value=${value} spellcheck="false" size="9"
        data-color=${path} aria-invalid=${invalid ? "true" : "false"}
        aria-describedby=${invalid ? `${id}-error` : null}
        onInput=${(e) => onChange(e.target.value.trim())} />
    </div>
    <${FieldErrors} path=${path} errors=${errors} onSuggestion=${onChange} />
  </div>`;
}

function ColorGroup({ group, colors, setColor, errors }) {
  return html`<div class="color-grid">
    ${COLOR_NAMES.map(
      (name) => html`<${ColorField} key=${name} group=${group} name=${name} value=${colors[name]}
        errors=${errors} onChange=${(v) => setColor(group, name, v)} />`,
    )}
  </div>`;
}

function Icons({ icons }) {
  const { t } = useCtx();
  if (!icons.length) return html`<p class="muted">${t("brand.noIcons")}</p>`;
  const byPlatform = {};
  for (const icon of icons) (byPlatform[icon.platform] = byPlatform[icon.platform] || []).push(icon);
  return html`<div class="icon-sets" data-testid="icon-sets">
    ${Object.entries(byPlatform).map(
      ([platform, list]) => html`<section key=${platform} class="icon-set">
        <h3>${platform}</h3>
        <ul class="icon-list">
          ${list.sort((a, b) => a.size - b.size).map(
            (icon) => html`<li key=${icon.url} data-testid="icon-size">
              <img src=${icon.url} alt=${t("brand.iconAlt", { platform, size: icon.size })}
                width=${Math.min(icon.size, 96)} height=${Math.min(icon.size, 96)} />
              <span dir="ltr">${icon.size}×${icon.size}</span>
            </li>`,
          )}
        </ul>
      </section>`,
    )}
  </div>`;
}

export function Brand() {
  const { t, lang, fmt } = useCtx();
  const [published, setPublished] = useState(null);
  const [form, setForm] = useState(null);
  const [icons, setIcons] = useState([]);
  const [errors, setErrors] = useState({});
  const [status, setStatus] = useState(null);
  const [history, setHistory] = useState([]);
  const [programs, setPrograms] = useState({});
  const [previewLang, setPreviewLang] = useState(lang);
  const [busy, setBusy] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [iconErrors, setIconErrors] = useState({});

  const loadHistory = async (latest) => {
    if (latest < 1) return setHistory([]);
    const versions = [];
    for (let v = latest; v >= Math.max(1, latest - HISTORY_SIZE + 1); v -= 1) versions.push(v);
    const query = `query BrandHistory { ${versions
      .map((v) => `v${v}: appTheme(version: ${v}) { version publishedAt rolledBackFrom colors { primary secondary } }`)
      .join("\n")} }`;
    const data = await gql(query, {}, lang);
    setHistory(versions.map((v) => data[`v${v}`]));
  };

  const load = async () => {
    const data = await gql(LOAD, {}, lang);
    setPublished(data.appTheme);
    const draft = data.appThemeDraft;
    const source = draft && draft.colors ? draft : data.appTheme;
    setForm(formFrom(source));
    setIcons((draft && draft.icons.length ? draft.icons : data.appTheme.icons) || []);
    setDirty(false);
    await loadHistory(data.appTheme.version);
  };

  useEffect(() => {
    load().catch((e) => setStatus({ kind: "error", text: e.message }));
    Promise.all(["en", "ar"].map((l) => gql(PREVIEW_PROGRAM, {}, l)))
      .then(([en, ar]) => setPrograms({ en: en.program, ar: ar.program }))
      .catch(() => {});
  }, []);

  if (!form) return html`<p>${t("common.loading")}</p>`;

  const setColor = (group, name, value) => {
    setForm({ ...form, [group]: { ...form[group], [name]: value } });
    setDirty(true);
  };
  const setField = (name, value) => {
    setForm({ ...form, [name]: value });
    setDirty(true);
  };
  const toggleDark = (on) => {
    setForm({ ...form, darkColors: on ? { ...(form.darkColors || form.colors) } : null });
    setDirty(true);
  };

  const save = async () => {
    setBusy(true);
    setStatus(null);
    try {
      const data = await gql(SAVE, { input: inputFrom(form) }, lang);
      const payload = data.saveAppTheme;
      const found = errorsByField(payload.userErrors);
      setErrors(found);
      if (payload.userErrors.length) {
        setStatus({ kind: "error", text: t("brand.fix", { count: payload.userErrors.length }) });
        return false;
      }
      setDirty(false);
      setStatus({ kind: "ok", text: t("brand.saved") });
      return true;
    } catch (e) {
      setStatus({ kind: "error", text: e.message });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const publish = async () => {
    if (dirty && !(await save())) return;
    setBusy(true);
    try {
      const data = await gql(PUBLISH, {}, lang);
      const payload = data.publishAppTheme;
      if (payload.userErrors.length) {
        setErrors(errorsByField(payload.userErrors));
        setStatus({ kind: "error", text: payload.userErrors[0].message });
        return;
      }
      await load();
      setStatus({ kind: "ok", text: t("brand.published", { version: payload.theme.version }) });
    } catch (e) {
      setStatus({ kind: "error", text: e.message });
    } finally {
      setBusy(false);
    }
  };

  const rollback = async (version) => {
    setBusy(true);
    try {
      const data = await gql(ROLLBACK, { version }, lang);
      const payload = data.rollbackAppTheme;
      if (payload.userErrors.length) {
        setStatus({ kind: "error", text: payload.userErrors[0].message });
        return;
      }
      await load();
      setStatus({ kind: "ok", text: t("brand.rolledBack", { version, latest: payload.theme.version }) });
    } catch (e) {
      setStatus({ kind: "error", text: e.message });
    } finally {
      setBusy(false);
    }
  };

  const upload = async (event) => {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    setBusy(true);
    setIconErrors({});
    try {
      const data = await gqlUpload(UPLOAD, file, lang);
      const payload = data.uploadAppIcon;
      if (payload.userErrors.length) {
        const found = errorsByField(payload.userErrors);
        // The upload's errors belong to the file input, whatever path the API names.
        setIconErrors({ file: Object.values(found).flat() });
        return;
      }
      setIcons(payload.icons);
      setStatus({ kind: "ok", text: t("brand.iconsReady", { count: payload.icons.length }) });
    } catch (e) {
      setIconErrors({ file: [{ code: e.code, message: e.message }] });
    } finally {
      setBusy(false);
      event.target.value = "";
    }
  };

  const favicon = icons.find((i) => i.platform === "web") || icons[0];
  const phones = [["light", form.colors]];
  if (form.darkColors) phones.push(["dark", form.darkColors]);
  const shown = COLOR_NAMES.flatMap((n) => [`input.colors.${n}`, `input.darkColors.${n}`]).concat([
    "input.fontFamily", "input.cornerRadius", "input.logoUrl",
  ]);

  return html`<div class="page brand">
    <div class="page-head">
      <h1>${t("brand.title")}</h1>
      <p class="muted">
        ${t("brand.live", { version: published.version })}
        ${published.publishedAt ? ` · ${fmt.dateTime(published.publishedAt)}` : ""}
      </p>
    </div>
    ${status && html`<p class=${status.kind === "ok" ? "notice" : "alert"} role="status" data-testid="brand-status">${status.text}</p>`}
    <div class="brand-grid">
      <form class="card editor" onSubmit=${(e) => { e.preventDefault(); save(); }} novalidate>
        <h2>${t("brand.colorsLight")}</h2>
        <${ColorGroup} group="colors" colors=${form.colors} setColor=${setColor} errors=${errors} />
        <div class="field check">
          <input id="dark-on" type="checkbox" checked=${Boolean(form.darkColors)}
            onChange=${(e) => toggleDark(e.target.checked)} />
          <label for="dark-on">${t("brand.darkOn")}</label>
        </div>
        ${form.darkColors && html`<h2>${t("brand.colorsDark")}</h2>
          <${ColorGroup} group="darkColors" colors=${form.darkColors} setColor=${setColor} errors=${errors} />`}
        <h2>${t("brand.type")}</h2>
        <div class="two">
          <div class="field">
            <label for=${fieldId("input.fontFamily")}>${t("brand.font")}</label>
            <select id=${fieldId("input.fontFamily")} value=${form.fontFamily}
              onChange=${(e) => setField("fontFamily", e.target.value)}>
              <option value="">${t("brand.fontDefault")}</option>
              ${FONTS.map((f) => html`<option key=${f} value=${f}>${f}</option>`)}
            </select>
            <${FieldErrors} path="input.fontFamily" errors=${errors} />
          </div>
          <div class="field">
            <label for=${fieldId("input.cornerRadius")}>${t("brand.radius", { radius: form.cornerRadius })}</label>
            <input id=${fieldId("input.cornerRadius")} type="range" min="0" max="32" step="1"
              value=${form.cornerRadius} onInput=${(e) => setField("cornerRadius", Number(e.target.value))} />
            <${FieldErrors} path="input.cornerRadius" errors=${errors} />
          </div>
        </div>
        <div class="field">
          <label for=${fieldId("input.logoUrl")}>${t("brand.logo")} (${t("common.optional")})</label>
          <input id=${fieldId("input.logoUrl")} type="url" dir="ltr" value=${form.logoUrl}
            onInput=${(e) => setField("logoUrl", e.target.value.trim())} />
          <${FieldErrors} path="input.logoUrl" errors=${errors} />
        </div>
        <${FormErrors} errors=${errors} shown=${shown} />
        <div class="actions">
          <button type="submit" class="secondary" disabled=${busy} data-testid="save-draft">${t("brand.save")}</button>
          <button type="button" disabled=${busy} data-testid="publish" onClick=${publish}>${t("brand.publish")}</button>
          ${dirty && html`<span class="muted">${t("brand.unsaved")}</span>`}
        </div>
      </form>
      <section class="card preview" aria-labelledby="preview-title">
        <div class="row spread">
          <h2 id="preview-title">${t("brand.preview")}</h2>
          <div class="segmented" role="group" aria-label=${t("brand.previewLang")}>
            ${["ar", "en"].map(
              (l) => html`<button key=${l} type="button" lang=${l} aria-pressed=${previewLang === l ? "true" : "false"}
                onClick=${() => setPreviewLang(l)}>${l === "ar" ? "العربية" : "English"}</button>`,
            )}
          </div>
        </div>
        <div class="phones">
          ${phones.map(
            ([scheme, colors]) => html`<${Phone} key=${scheme} scheme=${scheme} colors=${colors}
              font=${form.fontFamily} radius=${form.cornerRadius} lang=${previewLang}
              program=${programs[previewLang]} icon=${favicon && favicon.url} />`,
          )}
        </div>
      </section>
    </div>
    <section class="card" aria-labelledby="icon-title">
      <h2 id="icon-title">${t("brand.icon")}</h2>
      <div class="field">
        <label for="f-file">${t("brand.upload")}</label>
        <input id="f-file" type="file" accept="image/png,image/jpeg,image/webp" disabled=${busy}
          data-testid="icon-file" aria-describedby="f-file-hint" onChange=${upload} />
        <p class="hint" id="f-file-hint">${t("brand.uploadHint")}</p>
        <${FieldErrors} path="file" errors=${iconErrors} />
      </div>
      <${Icons} icons=${icons} />
    </section>
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">${t("brand.history")}</h2>
      ${history.length === 0
        ? html`<p class="muted">${t("brand.noHistory")}</p>`
        : html`<table class="table" data-testid="history">
            <thead><tr>
              <th scope="col">${t("brand.version")}</th>
              <th scope="col">${t("brand.publishedAt")}</th>
              <th scope="col">${t("brand.colors")}</th>
              <th scope="col"><span class="sr-only">${t("common.actions")}</span></th>
            </tr></thead>
            <tbody>
              ${history.map(
                (v) => html`<tr key=${v.version}>
                  <td>${v.version}${v.rolledBackFrom ? ` (${t("brand.copyOf", { version: v.rolledBackFrom })})` : ""}</td>
                  <td>${fmt.dateTime(v.publishedAt)}</td>
                  <td>
                    <span class="chip" style=${{ background: v.colors.primary }} aria-hidden="true"></span>
                    <span class="chip" style=${{ background: v.colors.secondary }} aria-hidden="true"></span>
                    <span dir="ltr">${v.colors.primary}</span>
                  </td>
                  <td>
                    ${v.version === published.version
                      ? html`<span class="badge">${t("brand.current")}</span>`
                      : html`<button type="button" class="ghost" disabled=${busy}
                          onClick=${() => rollback(v.version)}>${t("brand.rollback", { version: v.version })}</button>`}
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>`}
    </section>
  </div>`;
}
