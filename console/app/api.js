// The console's only door to the server: GraphQL on /graphql with the admin key.
// The key lives in sessionStorage (gone when the tab closes), never in a cookie or localStorage.
const KEY = "loyalty.console.adminKey";

export const session = {
  key: () => sessionStorage.getItem(KEY),
  signIn: (key) => sessionStorage.setItem(KEY, key),
  signOut: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(code, message, field) {
    super(message);
    this.code = code;
    this.field = field || null;
  }
}

function headers(lang, extra) {
  return {
    accept: "application/json",
    authorization: `Bearer ${session.key() || ""}`,
    "accept-language": lang || "en",
    ...extra,
  };
}

async function answer(response) {
  let body;
  try {
    body = await response.json();
  } catch (_) {
    throw new ApiError(`HTTP_${response.status}`, response.statusText || "Network error");
  }
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    const ext = first.extensions || {};
    throw new ApiError(ext.code || "ERROR", first.message, ext.field);
  }
  return body.data;
}

export async function gql(query, variables, lang) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: headers(lang, { "content-type": "application/json" }),
    body: JSON.stringify({ query, variables: variables || {} }),
  });
  return answer(response);
}

// The GraphQL multipart request spec: operations, a map, then the file part.
export async function gqlUpload(query, file, lang) {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query, variables: { file: null } }));
  form.append("map", JSON.stringify({ 0: ["variables.file"] }));
  form.append("0", file, file.name);
  const response = await fetch("/graphql", { method: "POST", headers: headers(lang), body: form });
  return answer(response);
}

// CSV exports need the key too, so they are fetched and handed to the browser as a blob.
export async function download(path, filename, lang) {
  const response = await fetch(path, { headers: headers(lang) });
  if (!response.ok) {
    let message = response.statusText;
    try {
      message = (await response.json()).message || message;
    } catch (_) {}
    throw new ApiError(`HTTP_${response.status}`, message);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// userErrors by field path ("input.colors.onPrimary"); those without a field under "".
export function errorsByField(userErrors) {
  const found = {};
  for (const error of userErrors || []) {
    const path = (error.field || []).join(".");
    (found[path] = found[path] || []).push(error);
  }
  return found;
}

export function newKey() {
  return crypto.randomUUID();
}
