import { html, render, useState, useEffect, useMemo } from "./lib.js";
import { session, gql, ApiError } from "./api.js";
import { Ctx } from "./ctx.js";
import { translator } from "./i18n.js";
import { formatters } from "./format.js";
import { SignIn } from "./signin.js";
import { Overview } from "./overview.js";
import { Brand } from "./brand.js";
import { MembersRoute } from "./member.js";
import { Program } from "./program.js";
import { Push } from "./push.js";
import { Badges } from "./badges.js";
import { Keys } from "./keys.js";
import { Integrations } from "./integrations.js";

const LANG = "loyalty.console.lang";
const PAGES = [
  ["overview", Overview],
  ["brand", Brand],
  ["members", MembersRoute],
  ["program", Program],
  ["badges", Badges],
  ["push", Push],
  ["integrations", Integrations],
  ["keys", Keys],
];

export const PROGRAM_QUERY = `query ConsoleProgram {
  program { name currency defaultLocale timezone pointsName { one other } }
  memberTokenKeys { kid }
}`;

function route() {
  const parts = window.location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  const page = PAGES.some(([name]) => name === parts[0]) ? parts[0] : "overview";
  return { page, arg: parts[1] || null };
}

function initialLang() {
  const chosen = sessionStorage.getItem(LANG);
  if (chosen === "ar" || chosen === "en") return chosen;
  return (navigator.language || "en").toLowerCase().startsWith("ar") ? "ar" : "en";
}

function App() {
  const [lang, setLangState] = useState(initialLang);
  const [program, setProgram] = useState(null);
  const [signedIn, setSignedIn] = useState(Boolean(session.key()));
  const [where, setWhere] = useState(route);
  const [problem, setProblem] = useState(null);

  const setLang = (next) => {
    sessionStorage.setItem(LANG, next);
    setLangState(next);
  };

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
  }, [lang]);

  useEffect(() => {
    const onHash = () => setWhere(route());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  const loadProgram = async () => {
    try {
      const data = await gql(PROGRAM_QUERY, {}, lang);
      setProgram(data.program);
      if (!sessionStorage.getItem(LANG)) setLangState(data.program.defaultLocale === "ar" ? "ar" : "en");
      return null;
    } catch (error) {
      return error;
    }
  };

  useEffect(() => {
    if (signedIn) {
      loadProgram().then((error) => {
        if (error instanceof ApiError && ["UNAUTHENTICATED", "FORBIDDEN"].includes(error.code)) {
          session.signOut();
          setSignedIn(false);
        } else if (error) setProblem(error.message);
      });
    }
  }, [signedIn, lang]);

  const t = useMemo(() => translator(lang), [lang]);
  const fmt = useMemo(
    () => formatters(lang, program && program.timezone, program && program.currency),
    [lang, program],
  );
  const signOut = () => {
    session.signOut();
    setProgram(null);
    setSignedIn(false);
    window.location.hash = "";
  };
  const ctx = { lang, setLang, t, fmt, program, reloadProgram: loadProgram, signOut };

  if (!signedIn) {
    return html`<${Ctx.Provider} value=${ctx}>
      <${SignIn} onSignedIn=${() => setSignedIn(true)} />
    <//>`;
  }
  const Page = PAGES.find(([name]) => name === where.page)[1];
  return html`<${Ctx.Provider} value=${ctx}>
    <a class="skip" href="#main">${t("shell.skip")}</a>
    <header class="top">
      <div class="brandmark">
        <span class="logo" aria-hidden="true">◆</span>
        <span>${program ? program.name : "…"}</span>
        <span class="muted">${t("shell.title")}</span>
      </div>
      <nav aria-label=${t("shell.nav")}>
        <ul>
          ${PAGES.map(
            ([name]) => html`<li key=${name}>
              <a href=${`#/${name}`} aria-current=${where.page === name ? "page" : null}
                >${t(`nav.${name}`)}</a
              >
            </li>`,
          )}
        </ul>
      </nav>
      <div class="session">
        <button type="button" class="ghost" lang=${lang === "ar" ? "en" : "ar"}
          data-testid="lang-switch" onClick=${() => setLang(lang === "ar" ? "en" : "ar")}>
          ${lang === "ar" ? "English" : "العربية"}
        </button>
        <button type="button" class="ghost" data-testid="sign-out" onClick=${signOut}>
          ${t("shell.signOut")}
        </button>
      </div>
    </header>
    <main id="main" tabindex="-1">
      ${problem && html`<p class="alert" role="alert">${problem}</p>`}
      ${program ? html`<${Page} key=${where.page + (where.arg || "")} arg=${where.arg} />` : html`<p>${t("common.loading")}</p>`}
    </main>
  <//>`;
}

const root = document.getElementById("app");
root.textContent = "";
render(html`<${App} />`, root);
