import { html } from "./lib.js";
import { useCtx } from "./ctx.js";

// The last colour in a LOW_CONTRAST message is the API's compliant suggestion (the message
// names foreground, background, then the suggestion, in both languages).
export function suggestedColor(error) {
  if (error.code !== "LOW_CONTRAST") return null;
  const found = error.message.match(/#[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?(?![0-9A-Fa-f])/g);
  return found ? found[found.length - 1].toUpperCase() : null;
}

export function fieldId(path) {
  return `f-${path.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

// The userErrors the API returned for one field, under it, each with its fix when it has one.
export function FieldErrors({ path, errors, onSuggestion }) {
  const { t } = useCtx();
  const mine = errors[path] || [];
  if (!mine.length) return null;
  return html`<div id=${`${fieldId(path)}-error`} class="field-error" role="alert"
    data-field=${path}>
    ${mine.map((error, index) => {
      const suggestion = onSuggestion && suggestedColor(error);
      return html`<p key=${index}>
        <span>${error.message}</span>
        ${suggestion &&
        html` <button type="button" class="suggestion" data-testid="use-suggestion"
          onClick=${() => onSuggestion(suggestion)}>
          <span class="chip" style=${{ background: suggestion }} aria-hidden="true"></span>
          ${t("brand.useSuggestion", { color: suggestion })}
        </button>`}
      </p>`;
    })}
  </div>`;
}

// Errors whose field no input on the screen shows (or with no field at all).
export function FormErrors({ errors, shown }) {
  const rest = Object.entries(errors).filter(([path]) => !shown.includes(path));
  if (!rest.length) return null;
  return html`<div class="alert" role="alert">
    ${rest.flatMap(([, list]) => list).map((e, i) => html`<p key=${i}>${e.message}</p>`)}
  </div>`;
}

export function TextField({ path, label, value, onInput, errors, type = "text", dir, hint, ...rest }) {
  const id = fieldId(path);
  const invalid = Boolean((errors || {})[path]);
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input id=${id} type=${type} value=${value ?? ""} dir=${dir}
      aria-invalid=${invalid ? "true" : "false"}
      aria-describedby=${invalid ? `${id}-error` : null}
      onInput=${(e) => onInput(e.target.value)} ...${rest} />
    ${hint && html`<p class="hint">${hint}</p>`}
    <${FieldErrors} path=${path} errors=${errors || {}} />
  </div>`;
}

// A labelled <select> whose API errors sit under it, like TextField's.
export function SelectField({ path, label, value, onChange, options, errors }) {
  const id = fieldId(path);
  const invalid = Boolean((errors || {})[path]);
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select id=${id} value=${value ?? ""} aria-invalid=${invalid ? "true" : "false"}
      aria-describedby=${invalid ? `${id}-error` : null}
      onChange=${(e) => onChange(e.target.value)}>
      ${options.map(([v, text]) => html`<option key=${v} value=${v}>${text}</option>`)}
    </select>
    <${FieldErrors} path=${path} errors=${errors || {}} />
  </div>`;
}

export function CheckField({ id, label, checked, onChange }) {
  return html`<div class="field check">
    <input id=${id} type="checkbox" checked=${checked} onChange=${(e) => onChange(e.target.checked)} />
    <label for=${id}>${label}</label>
  </div>`;
}
