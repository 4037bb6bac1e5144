// rxflow: light polling of the queue, j/k/a/d keys, live scan match, type-ahead search,
// and no double submits. Plain JavaScript; nothing is fetched from outside this server.
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = "1";
  form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
});

function queueKeys(table) {
  let index = 0;
  const rows = () => Array.from(table.querySelectorAll("tbody tr[data-id]"));
  const mark = () => rows().forEach((r, i) => r.classList.toggle("cursor", i === index));
  mark();
  document.addEventListener("keydown", (event) => {
    if (event.target.matches("input, select, textarea")) return;
    const list = rows();
    if (!list.length) return;
    if (event.key === "j") index = Math.min(index + 1, list.length - 1);
    else if (event.key === "k") index = Math.max(index - 1, 0);
    else if (event.key === "Enter" || event.key === "d") {
      window.location = list[index].dataset.href + (event.key === "d" ? "#deny-form" : "");
      return;
    } else if (event.key === "a") {
      const box = list[index].querySelector("input[name=pick]");
      if (box) { document.querySelectorAll("input[name=pick]").forEach((b) => { b.checked = b === box; });
        document.getElementById("batch").requestSubmit(); }
      return;
    } else return;
    mark();
  });
  setInterval(async () => {
    if (document.querySelector("input[name=pick]:checked")) return;
    const response = await fetch(table.dataset.poll, { credentials: "same-origin" });
    if (!response.ok) return;
    table.querySelector("tbody").innerHTML = await response.text();
    document.getElementById("queue-count").textContent = rows().length;
    index = Math.min(index, Math.max(rows().length - 1, 0));
    mark();
  }, 15000);
}

function scanField(input) {
  const out = document.getElementById("scan-result");
  let timer = null;
  const check = async () => {
    if (!input.value.trim()) { out.textContent = "Waiting for a scan."; out.className = "scan"; return; }
    const response = await fetch(input.dataset.match + "?code=" + encodeURIComponent(input.value));
    const found = await response.json();
    out.textContent = found.reason;
    out.className = "scan " + (found.match ? "match" : "nomatch");
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 120); });
  input.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); check(); } });
}

function search(input) {
  const list = document.getElementById("found");
  const rxSelect = document.getElementById("prescription_id");
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const response = await fetch(input.dataset.search + "?q=" + encodeURIComponent(input.value));
      const pets = await response.json();
      list.innerHTML = "";
      pets.forEach((pet) => {
        const item = document.createElement("li");
        item.textContent = `${pet.patient} (${pet.species}) · ${pet.client} · ${pet.phone}`;
        item.addEventListener("click", () => {
          document.getElementById("patient_id").value = pet.patient_id;
          rxSelect.innerHTML = '<option value="">— write the request instead —</option>';
          pet.prescriptions.forEach((rx) => {
            const option = document.createElement("option");
            option.value = rx.id;
            option.textContent = `${rx.drug} · ${rx.directions} · ${rx.refills_remaining} refills left`;
            rxSelect.appendChild(option);
          });
          if (pet.prescriptions.length) rxSelect.selectedIndex = 1;
          list.innerHTML = "";
          const chosen = document.createElement("li");
          chosen.textContent = "Chosen: " + item.textContent;
          list.appendChild(chosen);
        });
        list.appendChild(item);
      });
    }, 150);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const table = document.getElementById("queue");
  if (table) queueKeys(table);
  const scan = document.getElementById("scan");
  if (scan) scanField(scan);
  const find = document.getElementById("find");
  if (find) search(find);
});
