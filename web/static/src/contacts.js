/* The deal form's «New counterparty» and «New contact» dialogs: post JSON, show per-field errors and
   likely duplicates (use one, or add anyway), and put what was chosen into the deal form. */
(function () {
  "use strict";
  const dealForm = document.querySelector("form.deal-form");
  if (!dealForm) return;
  const field = (name) => dealForm.querySelector(`[name="${name}"]`);

  function setIfEmpty(name, value) {
    const input = field(name);
    if (input && !input.value && value) input.value = value;
  }

  // The contact type-ahead offers the picked counterparty's people first.
  const contactSearch = field("contact_search");
  const searchBase = contactSearch && contactSearch.dataset.typeahead;
  function syncContactSearch() {
    if (!contactSearch) return;
    const url = new URL(searchBase, window.location.href);
    if (field("counterparty_id").value) url.searchParams.set("counterparty_id", field("counterparty_id").value);
    contactSearch.dataset.typeahead = url.pathname + url.search;
  }
  field("counterparty_name").addEventListener("input", () => setTimeout(syncContactSearch, 300));
  syncContactSearch();

  const pick = {
    counterparty(row) {
      field("counterparty_name").value = row.name;
      field("counterparty_id").value = row.id;
      syncContactSearch();
    },
    contact(row) {
      field("contact_search").value = row.name;
      field("contact_id").value = row.id;
      setIfEmpty("contact_name", row.name);
      setIfEmpty("phone", row.phone);
      setIfEmpty("sender_email", row.email);
      if (row.counterparty_id && !field("counterparty_id").value) {
        field("counterparty_name").value = row.counterparty;
        field("counterparty_id").value = row.counterparty_id;
      }
    },
  };

  document.querySelectorAll("form[data-create]").forEach((form) => {
    const dialog = form.closest("dialog");
    const kind = form.dataset.kind;
    const box = form.querySelector("[data-duplicates]");
    const rowTemplate = form.querySelector("template[data-duplicate-row]");

    function reset() {
      form.querySelectorAll("[data-error]").forEach((el) => { el.textContent = ""; });
      form.querySelectorAll("label").forEach((el) => el.classList.remove("has-error"));
      box.hidden = true;
    }

    function done(row) {
      pick[kind](row);
      form.reset();
      reset();
      dialog.close();
      window.dealflow.toast(`${row.name} ✓`);
    }

    function showDuplicates(body) {
      box.querySelector("[data-duplicates-message]").textContent = body.message;
      box.querySelector("[data-confirm]").hidden = !body.can_confirm;
      box.querySelector("[data-duplicates-list]").replaceChildren(...body.duplicates.map((row) => {
        const item = rowTemplate.content.firstElementChild.cloneNode(true);
        item.querySelector("[data-text]").textContent = [row.name, row.inn, row.position, row.email, row.counterparty]
          .filter(Boolean).join(" · ");
        item.querySelector("[data-use]").addEventListener("click", () => done(row));
        return item;
      }));
      box.hidden = false;
    }

    async function create(confirm) {
      reset();
      const data = Object.fromEntries(new FormData(form));
      if (kind === "contact") data.counterparty_id = field("counterparty_id").value || null;
      data.confirm = confirm;
      const { status, body } = await window.dealflow.sendJSON(form.dataset.create, data);
      if (status === 201) return done(body);
      if (status === 409 && body.duplicates) return showDuplicates(body);
      Object.entries(body.errors || {}).forEach(([name, message]) => {
        const slot = form.querySelector(`[data-error="${name}"]`);
        if (slot) { slot.textContent = message; slot.closest("label").classList.add("has-error"); }
      });
      if (!body.errors) window.dealflow.toast(window.dealflow.problemText(body) || String(status), true);
    }

    form.addEventListener("submit", (event) => { event.preventDefault(); create(false); });
    box.querySelector("[data-confirm]").addEventListener("click", () => create(true));
    if (kind === "contact") {
      dialog.addEventListener("focusin", () => {
        const name = field("counterparty_id").value ? field("counterparty_name").value : "";
        form.querySelector("[data-contact-counterparty]").textContent = name;
      });
    }
  });
})();
