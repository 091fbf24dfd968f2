// The visit page: the open client's visit (date, assessor, general note), their visits, a follow-up visit,
// and the OT report.
import { downloadFile, postForm } from "./api.js";
import {
  fitNote, getAssessment, getClient, openedId, photosFor, setCurrent, startFollowUp, updateVisit,
} from "./store.js";
import { leftOutIn, partsOfItems } from "./parts.js";
import { showSaved } from "./saved.js";
import { formatDay } from "./visits.js";

const $ = (selector) => document.querySelector(selector);

// Each photo as `photo:<item id>` (its first) or `photo:<item id>:<slot>`, as pwa/photos.py photo_name reads them.
function appendPhotos(form, photos) {
  for (const photo of photos) {
    const name = photo.slot ? `${photo.item}:${photo.slot}` : photo.item;
    form.append(`photo:${name}`, photo.blob, `${photo.item}-${photo.slot ?? 0}.jpg`);
  }
}

async function downloadReport(assessment) {
  const form = new FormData();
  form.append("assessment", JSON.stringify(assessment));
  appendPhotos(form, await photosFor(assessment.id));
  return downloadFile(() => postForm("/ot-report.pdf", form), {
    status: $("[data-report-status]"),
    fallbackName: "safesteps-ot-report.pdf",
  });
}

// The visit for the health record (FHIR), made by the server; photos go only when the OT ticks the box.
async function downloadFhir(assessment, withPhotos) {
  const form = new FormData();
  form.append("assessment", JSON.stringify(assessment));
  if (withPhotos) {
    appendPhotos(form, await photosFor(assessment.id));
  }
  return downloadFile(() => postForm("/api/fhir/response", form, { accept: "application/fhir+json" }), {
    status: $("[data-report-status]"),
    fallbackName: "safesteps-fhir.json",
  });
}

// Each room's progress, and only the items that need fixing: the OT goes straight to a room or an item.
function showRooms(assessment) {
  const answers = assessment.answers;
  const skipped = new Set(assessment.skipped ?? []);
  const leftOut = leftOutIn(assessment);
  for (const el of document.querySelectorAll("[data-visit-room]")) {
    const room = el.dataset.visitRoom;
    const inRoom = (id) => id.startsWith(`${room}.`) && !leftOut(id);
    const ids = Object.keys(answers).filter((id) => inRoom(id) && answers[id].answer);
    const fix = ids.filter((id) => answers[id].answer === "fix").length;
    // A part of the room left out ("No outside steps") is out of the total too.
    const total = Number(el.dataset.total) - Object.keys(partsOfItems()).filter((id) => id.startsWith(`${room}.`) && leftOut(id)).length;
    el.textContent = skipped.has(room) ? el.dataset.skippedWord : ids.length
      ? el.dataset.words.replace("{answered}", ids.length).replace("{total}", total).replace("{fix}", fix)
      : "";
  }
  let count = 0;
  for (const li of document.querySelectorAll("[data-fix-item]")) {
    const id = li.dataset.fixItem;
    li.hidden = answers[id]?.answer !== "fix" || leftOut(id);
    count += !li.hidden;
  }
  $("[data-fix-count]").textContent = count;
  $("[data-fix-none]").hidden = count > 0;
}

export async function start() {
  const id = await openedId();
  const assessment = id ? await getAssessment(id) : undefined;
  const client = assessment?.visit?.client_id ? await getClient(assessment.visit.client_id) : undefined;
  if (!client) {
    $("[data-no-client]").hidden = false;
    document.body.dataset.restored = "true";
    return;
  }
  $("[data-visit-open]").hidden = false;
  showRooms(assessment);
  $("[data-client-name]").textContent = client.name;
  for (const field of document.querySelectorAll("[data-visit-field]")) {
    field.value = assessment.visit[field.dataset.visitField] ?? "";
    field.addEventListener("input", () => {
      if (field.matches("textarea")) {
        const note = fitNote(field.value);
        if (note !== field.value) field.value = note;
      }
      showSaved(updateVisit({ [field.dataset.visitField]: field.value }));
    });
  }
  if (assessment.visit.previous) {
    $("[data-previous-date]").textContent = formatDay(assessment.visit.previous.date);
    $("[data-follow-up-of]").hidden = false;
  }
  const list = $("[data-visit-list]");
  for (const visit of client.visits) {
    const row = $("[data-visit-row]").content.firstElementChild.cloneNode(true);
    row.dataset.visitId = visit.id;
    row.querySelector("[data-visit-row-date]").textContent = formatDay(visit.visit.date);
    row.querySelector("[data-visit-row-assessor]").textContent = visit.visit.assessor;
    const open = row.querySelector("[data-visit-row-open]");
    if (visit.id === assessment.id) {
      row.querySelector("[data-visit-row-current]").hidden = false;
      open.hidden = true;
    }
    open.addEventListener("click", async () => {
      await setCurrent(visit.id);
      window.location.reload();
    });
    list.append(row);
  }
  $("[data-follow-up]").addEventListener("click", async () => {
    await startFollowUp(client.id);
    window.location.reload();
  });
  $("[data-ot-report]").addEventListener("click", async () => downloadReport(await getAssessment(assessment.id)));
  $("[data-fhir-export]").addEventListener("click", async () =>
    downloadFhir(await getAssessment(assessment.id), $("[data-fhir-photos]").checked));
  document.body.dataset.restored = "true";
}
