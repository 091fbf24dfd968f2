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

function show(holder, photo) {
  const figure = holder.querySelector("[data-photo-figure]");
  const img = holder.querySelector("[data-photo-thumb]");
  if (urls.has(holder)) URL.revokeObjectURL(urls.get(holder));
  if (!photo) {
    urls.delete(holder);
    img.removeAttribute("src");
    figure.hidden = true;
    holder.querySelector("[data-photo-add]").hidden = false;
    delete holder.dataset.photoStored;
    return;
  }
  const url = URL.createObjectURL(photo.blob);
  urls.set(holder, url);
  img.src = url;
  // In words an OT uses (how much room it takes), not pixels.
  const size = holder.querySelector("[data-photo-size]");
  size.textContent = size.dataset.words.replace("{size}", String(Math.max(1, Math.round(photo.blob.size / 1024))));
  figure.hidden = false;
  holder.querySelector("[data-photo-add]").hidden = true;
  holder.dataset.photoStored = "true";
}

export async function setUpPhotos(assessment) {
  const holders = new Map([...document.querySelectorAll("[data-photo]")].map((el) => [el.dataset.photo, el]));
  for (const photo of await photosFor(assessment.id)) {
    if (holders.has(photo.item)) show(holders.get(photo.item), photo);
  }
  document.addEventListener("change", async (event) => {
    const input = event.target;
    if (!input.matches("[data-photo-input]") || !input.files.length) return;
    const holder = holders.get(input.dataset.photoInput);
    const status = holder.querySelector("[data-photo-status]");
    status.hidden = true;
    try {
      const { blob, width, height } = await shrink(input.files[0]);
      show(holder, await putPhoto(assessment, input.dataset.photoInput, blob, { width, height }));
    } catch {
      status.textContent = status.dataset.failed;
      status.hidden = false;
    }
    input.value = "";
  });
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-photo-remove]");
    if (!button) return;
    await deletePhoto(assessment.id, button.dataset.photoRemove);
    show(holders.get(button.dataset.photoRemove), null);
  });
}
