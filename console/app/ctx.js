import { createContext, useContext } from "./lib.js";

// What every screen needs: the language (t, formatters), the tenant's program and sign-out.
export const Ctx = createContext(null);
export const useCtx = () => useContext(Ctx);
