// The review page's behaviour: highlight where a field's value stands on its page, and
// keyboard shortcuts for the common path. Plain JavaScript, nothing to build.
"use strict";

function placeMarks() {
  for (const mark of document.querySelectorAll(".mark")) {
    for (const side of ["left", "top", "width", "height"]) {
      mark.style[side] = `${Number(mark.dataset[side]) * 100}%`;
    }
  }
}

function highlight(name, scroll) {
  for (const mark of document.querySelectorAll(".mark")) {
    mark.classList.toggle("active", mark.dataset.field === name);
  }
  for (const row of document.querySelectorAll(".field")) {
    row.classList.toggle("current", row.dataset.field === name);
  }
  const row = document.querySelector(`.field[data-field="${name}"]`);
  const page = row && row.dataset.page && document.getElementById(`page-${row.dataset.page}`);
  if (scroll && page) {
    const mark = page.querySelector(`.mark[data-field="${name}"]`);
    (mark || page).scrollIntoView({ block: "center", behavior: "smooth" });
  }
}

function typing(event) {
  const target = event.target;
  return target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function documentKeys(event) {
  if (event.key === "Escape" && typing(event)) {
    event.target.blur();
    return;
  }
  if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
  const click = { a: "approve", r: "reject", n: "next", q: "queue" }[event.key];
  const target = click && document.getElementById(click);
  if (target) {
    event.preventDefault();
    target.click();
  }
}

function queueKeys(event) {
  if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
  const links = [...document.querySelectorAll("table.queue a.open")];
  if (!links.length) return;
  const at = links.indexOf(document.activeElement);
  const step = { j: 1, k: -1 }[event.key];
  if (step) {
    event.preventDefault();
    links[Math.min(links.length - 1, Math.max(0, at + step))].focus();
  } else if (event.key === "o") {
    event.preventDefault();
    (links[at] || links[0]).click();
  }
}

document.addEventListener("DOMContentLoaded", () => {
  placeMarks();
  const view = document.querySelector("[data-shortcuts]");
  if (!view) return;
  if (view.dataset.shortcuts === "queue") {
    document.addEventListener("keydown", queueKeys);
    return;
  }
  document.addEventListener("keydown", documentKeys);
  for (const row of document.querySelectorAll(".field")) {
    const show = () => highlight(row.dataset.field, true);
    row.addEventListener("focusin", show);
    row.addEventListener("mouseenter", () => highlight(row.dataset.field, false));
  }
  // The first field in sight: those folded under "Other fields" wait until opened.
  const first = document.querySelector(".field.flagged[data-page]") ||
    document.querySelector("#decision > .field[data-page]");
  if (first) highlight(first.dataset.field, false);
});
