// A photo per item on a home visit: taken or chosen on the device, shrunk here (longest side 1,280 px, JPEG)
// before it is stored with the visit in IndexedDB, shown as a thumbnail, removable.
import { deletePhoto, photosFor, putPhoto } from "./store.js";

export const LONGEST_SIDE = 1280;
export const JPEG_QUALITY = 0.8;

export async function shrink(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, LONGEST_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff"; // a transparent PNG would turn black as a JPEG
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const blob = await new Promise((resolve, reject) => {
    canvas.toBlob((made) => (made ? resolve(made) : reject(new Error("no image"))), "image/jpeg", JPEG_QUALITY);
  });
  return { blob, width, height };
}

const urls = new Map();

// One figure per slot of an item's photos; "Add a photo" shows while a slot is free. `holder.dataset.photoStored`
// says how many are kept.
function show(holder, slot, photo) {
  const figure = holder.querySelector(`[data-photo-figure="${slot}"]`);
  const img = figure.querySelector("[data-photo-thumb]");
  if (urls.has(figure)) URL.revokeObjectURL(urls.get(figure));
  if (photo) {
    const url = URL.createObjectURL(photo.blob);
    urls.set(figure, url);
    img.src = url;
    // In words an OT uses (how much room it takes), not pixels.
    const size = figure.querySelector("[data-photo-size]");
    size.textContent = size.dataset.words.replace("{size}", String(Math.max(1, Math.round(photo.blob.size / 1024))));
  } else {
    urls.delete(figure);
    img.removeAttribute("src");
  }
  figure.hidden = !photo;
  const kept = holder.querySelectorAll("[data-photo-figure]:not([hidden])").length;
  holder.querySelector("[data-photo-add]").hidden = kept === holder.querySelectorAll("[data-photo-figure]").length;
  if (kept) holder.dataset.photoStored = "true";
  else delete holder.dataset.photoStored;
  holder.dataset.photoCount = String(kept);
}

const freeSlot = (holder) => holder.querySelector("[data-photo-figure][hidden]")?.dataset.photoFigure;

export async function setUpPhotos(assessment) {
  const holders = new Map([...document.querySelectorAll("[data-photo]")].map((el) => [el.dataset.photo, el]));
  for (const photo of await photosFor(assessment.id)) {
    if (holders.has(photo.item)) show(holders.get(photo.item), photo.slot ?? 0, photo);
  }
  document.addEventListener("change", async (event) => {
    const input = event.target;
    if (!input.matches("[data-photo-input]") || !input.files.length) return;
    const holder = holders.get(input.dataset.photoInput);
    const status = holder.querySelector("[data-photo-status]");
    const slot = freeSlot(holder);
    status.hidden = true;
    try {
      if (slot === undefined) throw new Error("no free slot");
      const { blob, width, height } = await shrink(input.files[0]);
      show(holder, slot, await putPhoto(assessment, input.dataset.photoInput, blob, { width, height }, Number(slot)));
    } catch {
      status.textContent = status.dataset.failed;
      status.hidden = false;
    }
    input.value = "";
  });
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-photo-remove]");
    if (!button) return;
    await deletePhoto(assessment.id, button.dataset.photoRemove, Number(button.dataset.slot));
    show(holders.get(button.dataset.photoRemove), button.dataset.slot, null);
  });
}
