// Export and import of clients: every visit and every photo of a client in one file, in the export format the
// server checks (pwa/export.py), and checked clients brought in without ever overwriting one already here.
import { listClients, photoKey, photosFor } from "./clients.js";
import { run, runMany } from "./db.js";
import { seal } from "./sealing.js";

const toBase64 = async (blob) => {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
};

function fromBase64(text, type) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

// The file for one client, or all: every visit and every photo, in the export format the server checks.
export async function exportClients(clientIds, format) {
  const clients = (await listClients()).filter((c) => !clientIds || clientIds.includes(c.id));
  const exported = [];
  for (const client of clients) {
    const photos = [];
    for (const visit of client.visits) {
      for (const photo of await photosFor(visit.id)) {
        photos.push({ assessment: photo.assessment, item: photo.item, slot: photo.slot ?? 0, type: photo.type, width: photo.width,
          height: photo.height, bytes: photo.bytes, at: photo.at, data: await toBase64(photo.blob) });
      }
    }
    exported.push({ id: client.id, name: client.name, created: client.created, visits: client.visits, photos });
  }
  return { format: format.name, version: format.version, exported: new Date().toISOString(), clients: exported };
}

// Brings checked clients in. A client whose id is already on this device is never overwritten: it comes in
// as a copy, with new ids for it and its visits, and `copyName` to tell the two apart.
export async function importClients(checked, copyName) {
  const existing = new Set((await run("clients", "readonly", (s) => s.getAllKeys())));
  const existingVisits = new Set((await run("assessments", "readonly", (s) => s.getAllKeys())));
  const imported = [];
  // Photos are decoded before anything is written: a bad one stops the import with nothing changed.
  const blobs = checked.clients.map((client) => client.photos.map((photo) => fromBase64(photo.data, photo.type)));
  const records = { clients: [], assessments: [], photos: [] };
  for (const [clientIndex, client] of checked.clients.entries()) {
    const copy = existing.has(client.id) || client.visits.some((v) => existingVisits.has(v.id));
    const clientId = copy ? crypto.randomUUID() : client.id;
    const name = copy ? copyName(client.name) : client.name;
    const visitIds = new Map(client.visits.map((v) => [v.id, copy ? crypto.randomUUID() : v.id]));
    records.clients.push({ id: clientId, name, created: client.created });
    for (const visit of client.visits) {
      const kept = structuredClone(visit);
      kept.id = visitIds.get(visit.id);
      kept.visit.client_id = clientId;
      kept.visit.client = name;
      if (kept.visit.previous && visitIds.has(kept.visit.previous.id)) kept.visit.previous.id = visitIds.get(kept.visit.previous.id);
      records.assessments.push(kept);
    }
    client.photos.forEach((photo, photoIndex) => {
      const assessmentId = visitIds.get(photo.assessment);
      records.photos.push({ key: photoKey(assessmentId, photo.item, photo.slot), assessment: assessmentId, client: clientId,
        item: photo.item, slot: photo.slot, blob: blobs[clientIndex][photoIndex], type: photo.type, bytes: photo.bytes,
        width: photo.width, height: photo.height, at: photo.at });
    });
    imported.push({ id: clientId, name, copy });
  }
  // Sealed (when the device is locked) before the one transaction that writes them all.
  for (const [storeName, values] of Object.entries(records)) {
    records[storeName] = await Promise.all(values.map((value) => seal(storeName, value)));
  }
  await runMany(["clients", "assessments", "photos"], "readwrite", (stores) => {
    for (const [storeName, values] of Object.entries(records)) for (const value of values) stores[storeName].put(value);
  });
  return imported;
}
