/* Small helpers of every page: dialogs, toasts, JSON posts with the CSRF token, type-ahead. */
(function () {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
  const lang = document.documentElement.lang || "ru";

  function toast(message, isError) {
    const box = document.getElementById("toast");
    box.textContent = message;
    box.classList.toggle("toast-error", !!isError);
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(() => { box.hidden = true; }, isError ? 8000 : 3500);
  }

  // A JSON POST with the CSRF token: {status, ok, body} whatever the answer (body {} when it is not JSON).
  async function sendJSON(url, data) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(data),
    });
    let body = {};
    try { body = await response.json(); } catch (e) { body = {}; }
    return { status: response.status, ok: response.ok, statusText: response.statusText, body };
  }

  // What a refusal (a problem+json body) says, in one line.
  const problemText = (body) => [body.title, body.explanation, body.message].filter(Boolean).join(" ");

  async function postJSON(url, data) {
    const { ok, statusText, body } = await sendJSON(url, data);
    if (!ok) throw new Error(problemText(body) || statusText);
    return body;
  }

  const moneyFormat = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const money = (value) => `${moneyFormat.format(value)} ₽`;

  document.addEventListener("click", (event) => {
    const opener = event.target.closest("[data-open]");
    if (opener) {
      const dialog = document.getElementById(opener.dataset.open);
      if (dialog) { dialog.showModal(); const first = dialog.querySelector("input, select, textarea"); if (first) first.focus(); }
    }
    const closer = event.target.closest("[data-close]");
    if (closer) closer.closest("dialog").close();
  });

  // A dialog the server sent back with an error in it opens again, as the user left it.
  document.querySelectorAll("dialog[data-reopen]").forEach((dialog) => dialog.showModal());
  // A choice that needs a reason makes the comment required before the form is sent.
  document.querySelectorAll("dialog form, form[data-reasons]").forEach((form) => {
    const comment = form.querySelector("textarea[name=comment]");
    if (!comment) return;
    form.addEventListener("change", (event) => {
      if (event.target.name === "status") comment.required = event.target.dataset.commentRequired === "true";
    });
  });

  // Counterparty type-ahead: a text field searching the directory, a hidden field keeping the id.
  document.querySelectorAll("[data-typeahead]").forEach((input) => {
    const hidden = document.getElementById(input.dataset.target);
    const list = document.getElementById(input.getAttribute("list"));
    let timer = null;
    input.addEventListener("input", () => {
      const match = Array.from(list.options).find((o) => o.value === input.value);
      hidden.value = match ? match.dataset.id : "";
      if (match) return;
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const url = new URL(input.dataset.typeahead, window.location.href);  // it may carry its own query
        url.searchParams.set("q", input.value);
        const rows = await (await fetch(url, { headers: { Accept: "application/json" } })).json();
        list.replaceChildren(...rows.map((row) => {
          const option = document.createElement("option");
          option.value = row.name;
          option.dataset.id = row.id;
          option.label = row.label || (row.inn ? `${row.name} (${row.inn})` : row.name);
          return option;
        }));
        const exact = rows.find((row) => row.name === input.value);
        if (exact) hidden.value = exact.id;
      }, 200);
    });
  });

  // Filters travel in the URL: leave the empty ones out so a shared link stays short.
  const filters = document.getElementById("filters");
  if (filters) {
    filters.addEventListener("submit", () => filters.querySelectorAll("input, select").forEach((el) => {
      if (!el.value) el.disabled = true;
    }));
    window.addEventListener("pageshow", () => filters.querySelectorAll(":disabled").forEach((el) => { el.disabled = false; }));
  }

  // A form is sent once: a second click while the first is on its way would save twice (two deals,
  // or a 409 for the second status change). The locked form unlocks when the page comes back from
  // the back/forward cache; GET forms (filters) are left alone.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || form.method !== "post") return;
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
  });
  window.addEventListener("pageshow", () => document.querySelectorAll("form[data-sending]").forEach((form) => {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
  }));

  // An edit form says which fields the user changed, so after a conflict the server can lay just
  // those over the other person's version instead of writing the whole old form back.
  document.querySelectorAll("form[data-track-changes]").forEach((form) => {
    const snapshot = () => new Map(Array.from(form.elements).filter((el) => el.name && el.type !== "hidden"
      || ["counterparty_id", "contact_id"].includes(el.name)).map((el) => [el.name, el.value]));
    const initial = snapshot();
    form.addEventListener("submit", () => {
      const changed = Array.from(snapshot()).filter(([name, value]) => initial.get(name) !== value).map(([name]) => name);
      let field = form.querySelector("input[name=changed]");
      if (!field) {
        field = Object.assign(document.createElement("input"), { type: "hidden", name: "changed" });
        form.append(field);
      }
      field.value = changed.join(",");
    });
  });

  // «Tick every deal of the page» in the journal's header.
  document.querySelectorAll("[data-pick-all]").forEach((box) => box.addEventListener("change", () => {
    document.querySelectorAll(`input[type=checkbox][name="${box.dataset.pickAll}"]`).forEach((el) => { el.checked = box.checked; });
  }));

  window.dealflow = { toast, sendJSON, postJSON, problemText, money };
})();
