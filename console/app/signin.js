import { html, useState } from "./lib.js";
import { session, gql, ApiError } from "./api.js";
import { useCtx } from "./ctx.js";

const CHECK = `query ConsoleSignIn { memberTokenKeys { kid } }`;

export function SignIn({ onSignedIn }) {
  const { t, lang, setLang } = useCtx();
  const [key, setKey] = useState("");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event) => {
    event.preventDefault();
    setError(null);
    const candidate = key.trim();
    if (!candidate) {
      setError(t("signin.empty"));
      return;
    }
    setBusy(true);
    session.signIn(candidate);
    try {
      await gql(CHECK, {}, lang);
      onSignedIn();
    } catch (failure) {
      session.signOut();
      const refused =
        failure instanceof ApiError && ["UNAUTHENTICATED", "FORBIDDEN"].includes(failure.code);
      setError(refused ? t("signin.refused") : `${t("signin.failed")} ${failure.message}`);
    } finally {
      setBusy(false);
    }
  };

  return html`<main id="main" class="signin">
    <div class="card narrow">
      <div class="row spread">
        <h1>${t("signin.title")}</h1>
        <button type="button" class="ghost" lang=${lang === "ar" ? "en" : "ar"}
          data-testid="lang-switch" onClick=${() => setLang(lang === "ar" ? "en" : "ar")}>
          ${lang === "ar" ? "English" : "العربية"}
        </button>
      </div>
      <p class="muted">${t("signin.intro")}</p>
      <form onSubmit=${submit} novalidate>
        <label for="admin-key">${t("signin.key")}</label>
        <input id="admin-key" name="admin-key" type="password" autocomplete="off" dir="ltr"
          spellcheck="false" value=${key} onInput=${(e) => setKey(e.target.value)}
          aria-invalid=${error ? "true" : "false"} aria-describedby=${error ? "key-error" : null} />
        ${error && html`<p id="key-error" class="field-error" role="alert">${error}</p>`}
        <p class="hint">${t("signin.storage")}</p>
        <button type="submit" disabled=${busy}>${t("signin.submit")}</button>
      </form>
    </div>
  </main>`;
}
