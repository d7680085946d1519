// The sign-in page: an account's SecretId/SecretKey, or an admin token.
import { html } from "./html.ts";
import { BASE, page } from "./layout.ts";

export function signInPage(csrf: string, error: string | null): string {
  return page({
    title: "Sign in",
    viewer: null,
    body: html`<form class="signin" method="post" action="${BASE}/sign-in">
<h1>Sign in</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<input type="hidden" name="csrf" value="${csrf}">
<fieldset><legend>An account's key pair (its own apps)</legend>
<label for="secretId">SecretId</label><input id="secretId" name="secretId" autocomplete="username" spellcheck="false">
<label for="secretKey">SecretKey</label><input id="secretKey" name="secretKey" type="password" autocomplete="current-password">
</fieldset>
<fieldset><legend>or an admin token (every account)</legend>
<label for="adminToken">Admin token</label><input id="adminToken" name="adminToken" type="password" autocomplete="off">
</fieldset>
<button type="submit">Sign in</button>
<p class="muted">Read-only. The credentials stay on the server; the browser gets a session cookie.</p>
</form>`,
  });
}
