import { useState } from "./lib.js";
import { gql, errorsByField } from "./api.js";
import { useCtx } from "./ctx.js";

// One mutation with a `userErrors` payload: its errors by field, whether it is running, and
// whether the last run saved. `onDone` runs (awaited) after a run without userErrors.
export function useMutation(query, name, onDone) {
  const { lang } = useCtx();
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const [ok, setOk] = useState(false);
  const run = async (input, extra) => {
    setBusy(true);
    setOk(false);
    try {
      const payload = (await gql(query, { input, ...(extra || {}) }, lang))[name];
      setErrors(errorsByField(payload.userErrors));
      if (!payload.userErrors.length) {
        setOk(true);
        await onDone(payload);
      }
      return payload;
    } catch (e) {
      setErrors({ "": [{ message: e.message }] });
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, ok, run };
}

export const num = (v) => (v === "" || v === null || v === undefined ? null : Number(v));
