// Registration: checks each field with a sentence, creates the account, logs in, goes on.
"use strict";
(() => {
  const { $, label, say } = Buyer;
  const next = new URLSearchParams(location.search).get("next");
  const target = next && next.startsWith("/") && !next.startsWith("//") ? next : "/me";
  if (next) $("to-login").href = `/login?next=${encodeURIComponent(target)}`;
  $("register-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target;
    for (const name of ["username", "display_name", "password"]) {
      const input = f.elements[name];
      input.removeAttribute("aria-invalid");
      if (!input.checkValidity() || !input.value.trim()) {
        input.setAttribute("aria-invalid", "true");
        input.focus();
        say("register-error", label(name));
        return;
      }
    }
    $("register-submit").disabled = true;
    try {
      await TL.api("POST", "/users", {
        username: f.username.value.trim(), display_name: f.display_name.value.trim(),
        password: f.password.value,
      });
      await TL.login(f.username.value.trim(), f.password.value);
      location.href = target;
    } catch (err) {
      say("register-error", err);
      $("register-submit").disabled = false;
    }
  });
})();
