// Hand-written, no library: filter the letters table, and follow a generation's progress.
"use strict";

function filterLetters() {
  const table = document.getElementById("letters");
  if (!table) return;
  const text = document.getElementById("search").value.trim().toLowerCase();
  const kind = document.getElementById("kind").value;
  const state = document.getElementById("state").value;
  const attention = document.getElementById("attention").checked;
  let shown = 0;
  const rows = table.tBodies[0].rows;
  for (const row of rows) {
    const visible = (!text || row.textContent.toLowerCase().includes(text))
      && (!kind || row.dataset.kind === kind) && (!state || row.dataset.state === state)
      && (!attention || row.dataset.attention === "1");
    row.hidden = !visible;
    if (visible) shown += 1;
  }
  document.getElementById("shown").textContent = shown + " / " + rows.length;
}

function followProgress(box) {
  const bar = document.getElementById("bar");
  const count = document.getElementById("count");
  const events = new EventSource("/campaigns/" + box.dataset.campaign + "/progress");
  events.addEventListener("progress", (event) => {
    const data = JSON.parse(event.data);
    bar.max = Math.max(data.total, 1);
    bar.value = data.done;
    count.textContent = data.done + " / " + data.total;
  });
  events.addEventListener("finished", (event) => {
    events.close();
    const data = JSON.parse(event.data);
    if (data.ok) {
      bar.value = bar.max;
      count.textContent = "✓";
      box.dataset.finished = "ok";
      document.getElementById("downloads").hidden = false;
    } else {
      box.dataset.finished = "error";
      const list = document.getElementById("progress-problems");
      for (const p of data.problems) {
        const item = document.createElement("p");
        item.textContent = (p.place ? p.place + ": " : "") + p.message;
        list.appendChild(item);
      }
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  for (const id of ["search", "kind", "state", "attention"]) {
    const input = document.getElementById(id);
    if (input) input.addEventListener("input", filterLetters);
  }
  filterLetters();
  const box = document.getElementById("progress");
  if (box && box.hasAttribute("data-follow")) followProgress(box);
});

// The new campaign form: ask the app how many records the selectors choose, as one types.
// Answers can arrive out of order: only the answer to the latest question is shown.
let latestCount = 0;
function countSelected(form) {
  const asked = ++latestCount;
  const query = new URLSearchParams();
  for (const key of ["from", "state", "kind", "chamber", "country"]) {
    query.set(key, form.elements[key].value);
  }
  fetch("/new/count?" + query, {credentials: "same-origin"})
    .then((response) => response.json())
    .then((data) => {
      if (asked !== latestCount) return;  // a newer question was asked meanwhile
      document.getElementById("count").textContent = data.error
        ? data.error : data.selected + " / " + data.of + " " + form.dataset.selected;
    });
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("new-campaign");
  if (!form) return;
  form.addEventListener("input", (event) => {
    if (["from", "state", "kind", "chamber", "country"].includes(event.target.name)) {
      countSelected(form);
    }
  });
  countSelected(form);
});
