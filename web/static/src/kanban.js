/* The kanban board: drag a card to a column the diagram allows; the server decides. */
(function () {
  "use strict";
  const board = document.getElementById("board");
  if (!board || !window.Sortable) return;
  const dialog = document.getElementById("move-dialog");
  const pointer = { x: 0, y: 0 };
  document.addEventListener("pointermove", (e) => { pointer.x = e.clientX; pointer.y = e.clientY; }, true);
  document.addEventListener("mousemove", (e) => { pointer.x = e.clientX; pointer.y = e.clientY; }, true);

  const columnOf = (el) => el && el.closest(".kcolumn");
  const allowedFor = (card) => (card.dataset.allowed || "").split(" ").filter(Boolean);

  function highlight(card) {
    const allowed = allowedFor(card);
    board.querySelectorAll(".kcolumn").forEach((col) => {
      if (col.dataset.status === card.dataset.status) return;
      col.classList.add(allowed.includes(col.dataset.status) ? "drop-ok" : "drop-no");
    });
  }

  function clearHighlight() {
    board.querySelectorAll(".kcolumn").forEach((col) => col.classList.remove("drop-ok", "drop-no"));
  }

  function revert(evt) {
    evt.from.insertBefore(evt.item, evt.from.children[evt.oldIndex] || null);
  }

  const countOf = (col) => Number(col.querySelector(".kcount").textContent);

  function adjust(col, delta, budget) {
    const count = col.querySelector(".kcount");
    const sum = col.querySelector(".ksum");
    count.textContent = String(Number(count.textContent) + delta);
    const total = Number(sum.dataset.sum) + delta * budget;
    sum.dataset.sum = String(total);
    sum.textContent = window.dealflow.money(total);
    const weighted = col.querySelector(".kweighted");
    if (weighted) weighted.textContent = window.dealflow.money(total * Number(weighted.dataset.percent) / 100);
    const limit = Number(col.dataset.wip || 0);
    col.querySelector(".kcolumn-meta").classList.toggle("kcolumn-over", limit > 0 && countOf(col) > limit);
  }

  // A soft work-in-progress limit: a drop that would pass it asks first.
  function confirmPastLimit(col) {
    const limit = Number(col.dataset.wip || 0);
    if (!limit || countOf(col) + 1 <= limit) return Promise.resolve(true);
    const wip = document.getElementById("wip-dialog");
    document.getElementById("wip-text").textContent = board.dataset.msgWip
      .replace("{target}", col.dataset.label).replace("{count}", String(countOf(col))).replace("{limit}", String(limit));
    return new Promise((resolve) => {
      wip.addEventListener("close", () => resolve(wip.returnValue === "ok"), { once: true });
      wip.returnValue = "";
      wip.showModal();
    });
  }

  function askComment(title, required, status) {
    return new Promise((resolve) => {
      const text = document.getElementById("move-comment");
      const reason = document.getElementById("move-reason");  // «Причины отказа», offered on a refusal
      if (reason) { reason.value = ""; reason.closest("label").hidden = reason.dataset.for !== status; }
      document.getElementById("move-title").textContent = title;
      document.getElementById("move-hint-required").hidden = !required;
      document.getElementById("move-hint-optional").hidden = required;
      text.value = "";
      text.required = required;
      const cancel = document.getElementById("move-cancel");
      const onCancel = () => dialog.close("cancel");
      cancel.addEventListener("click", onCancel, { once: true });
      dialog.addEventListener("close", () => {
        cancel.removeEventListener("click", onCancel);
        resolve(dialog.returnValue === "ok" ? { comment: text.value.trim(), reason: reason ? reason.value : "" } : null);
      }, { once: true });
      dialog.returnValue = "";
      dialog.showModal();
      text.focus();
    });
  }

  const columnUnderPointer = () => columnOf(document.elementFromPoint(pointer.x, pointer.y));

  function refuseDrop(card, col) {
    const own = card.dataset.versionStatuses;
    if (own !== undefined && !own.split(" ").includes(col.dataset.status)) {
      // The deal runs on an older version that has no such status: migrating it is the way, not the flows.
      window.dealflow.toast(board.dataset.msgMigrate.replace("{number}", card.dataset.number)
        .replace("{version}", card.dataset.processVersion).replace("{target}", col.dataset.label), true);
      return;
    }
    const from = board.querySelector(`.kcolumn[data-status="${card.dataset.status}"]`);
    window.dealflow.toast(board.dataset.msgForbidden
      .replace("{source}", from ? from.dataset.label : card.dataset.status)
      .replace("{target}", col.dataset.label), true);
  }

  async function onEnd(evt) {
    clearHighlight();
    const card = evt.item;
    const fromCol = columnOf(evt.from);
    // The column under the pointer is the drop target: Sortable may have left the card in the
    // last column that accepted it on the way, or missed the last moves of a quick drag.
    const toCol = columnUnderPointer();
    if (!toCol || toCol === fromCol) { revert(evt); return; }
    if (!allowedFor(card).includes(toCol.dataset.status)) { revert(evt); refuseDrop(card, toCol); return; }
    const list = toCol.querySelector(".kcards");
    if (card.parentNode !== list) list.prepend(card);
    if (toCol.dataset.wip) {
      await new Promise((resolve) => setTimeout(resolve, 0));  // past the drop's own mouseup and click
      if (!(await confirmPastLimit(toCol))) { revert(evt); return; }
    }
    const handover = toCol.dataset.lane !== fromCol.dataset.lane;
    let comment = "", reasonId = "";
    if (toCol.dataset.comment === "required" || handover) {
      // Open the dialog once the drop's own mouseup and click are over, so they cannot reach it.
      await new Promise((resolve) => setTimeout(resolve, 0));
      comment = await askComment(`№ ${card.dataset.number}: ${fromCol.dataset.label} → ${toCol.dataset.label}`,
        toCol.dataset.comment === "required", toCol.dataset.status);
      if (comment === null) { revert(evt); return; }
      ({ comment, reason: reasonId } = comment);
    }
    const url = board.dataset.moveUrl.replace("/0/", `/${card.dataset.number}/`);
    try {
      const body = await window.dealflow.postJSON(url, {
        status: toCol.dataset.status, comment, version: Number(card.dataset.version), reason_id: reasonId || null });
      card.dataset.status = body.status;
      card.dataset.version = String(body.version);
      card.dataset.allowed = body.allowed.join(" ");
      const days = card.querySelector(".kcard-days");
      if (days) days.textContent = body.days_text;
      const rot = card.querySelector(".rot-mark");
      if (rot) rot.remove();  // a move is activity: the deal is no longer idle
      const owner = card.querySelector(".kcard-owner");
      if (owner && body.responsible) owner.textContent = body.responsible;
      const badge = document.getElementById("my-task-count");
      if (badge && body.my_task_count !== undefined) badge.textContent = String(body.my_task_count);
      const budget = Number(card.dataset.budget) || 0;
      adjust(fromCol, -1, budget);
      adjust(toCol, 1, budget);
      window.dealflow.toast(`№ ${body.number}: ${body.status_label}`);
    } catch (err) {
      revert(evt);
      window.dealflow.toast(`${board.dataset.msgFailed}: ${err.message}`, true);
    }
  }

  // A card that moves nowhere (Sortable filters it out) says why once someone tries to drag it.
  let pressed = null;
  board.addEventListener("pointerdown", (e) => {
    const card = e.target.closest(".kcard[data-why]");
    pressed = card ? { card, x: e.clientX, y: e.clientY, told: false } : null;
  });
  board.addEventListener("pointermove", (e) => {
    if (!pressed || pressed.told || Math.hypot(e.clientX - pressed.x, e.clientY - pressed.y) < 6) return;
    pressed.told = true;
    window.dealflow.toast(pressed.card.dataset.why, true);
  });
  document.addEventListener("pointerup", () => { pressed = null; });

  board.querySelectorAll(".kcards").forEach((list) => {
    window.Sortable.create(list, {
      group: { name: "deals", pull: true, put: (to, _from, dragEl) => allowedFor(dragEl).includes(to.el.dataset.status) },
      sort: false,
      animation: 120,
      forceFallback: true,
      delay: 200, delayOnTouchOnly: true,  // on a phone a swipe over a card scrolls; a press and hold drags
      fallbackTolerance: 4,
      filter: '.kcard[data-allowed=""]',
      preventOnFilter: false,
      ghostClass: "kcard-ghost",
      onStart: (evt) => highlight(evt.item),
      onEnd,
    });
  });

  // Columns load lazily: the next page of cards when the end of a column scrolls into view.
  const observer = new IntersectionObserver((entries) => entries.forEach(async (entry) => {
    const more = entry.target;
    if (!entry.isIntersecting || more.dataset.loading) return;
    more.dataset.loading = "1";
    const col = columnOf(more);
    const url = new URL(board.dataset.columnUrl, window.location.href);
    url.searchParams.set("column", col.dataset.status);
    url.searchParams.set("before", more.dataset.before);
    const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    const page = document.createElement("div");
    page.innerHTML = await response.text();
    const cards = [...page.querySelectorAll(".kcard")];
    const list = col.querySelector(".kcards");
    // A card dragged into this column meanwhile may come again: keep the one already shown.
    cards.filter((card) => !board.querySelector(`.kcard[data-number="${card.dataset.number}"]`))
      .forEach((card) => list.append(card));
    delete more.dataset.loading;
    if (cards.length) more.dataset.before = cards[cards.length - 1].dataset.number;
    if (cards.length < Number(more.dataset.pageSize)) {
      observer.unobserve(more);
      more.remove();
    }
  }), { rootMargin: "200px" });
  board.querySelectorAll(".kmore").forEach((more) => {
    more.dataset.pageSize = String(columnOf(more).querySelectorAll(".kcard").length);  // the first page was full
    observer.observe(more);
  });
})();
