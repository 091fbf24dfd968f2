// The device lock's cryptography (Web Crypto), and nothing else: store/sealing.js decides what is sealed and when.
//
// One random AES-GCM data key seals every record. It is kept only wrapped, by a key derived from the passphrase
// (PBKDF2-SHA-256, a random salt, ITERATIONS rounds), so changing the passphrase re-wraps that one key and no
// record is written again. Every sealed value has its own random 96-bit IV. A locked export file is sealed the
// same way with a key derived from its own passphrase and salt, so another device can open it.

// OWASP's figure for PBKDF2-HMAC-SHA256 (2023). Kept in the lock record, so a later release can raise it.
export const ITERATIONS = 600_000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const toBase64 = (buffer) => {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
};

export const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

const random = (length) => crypto.getRandomValues(new Uint8Array(length));

async function passphraseKey(passphrase, salt, iterations, usages) {
  const material = await crypto.subtle.importKey("raw", encoder.encode(passphrase), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    usages,
  );
}

async function wrapWith(passphrase, dataKey) {
  const salt = random(16);
  const iv = random(12);
  const wrapping = await passphraseKey(passphrase, salt, ITERATIONS, ["wrapKey"]);
  const wrapped = await crypto.subtle.wrapKey("raw", dataKey, wrapping, { name: "AES-GCM", iv });
  return { version: 1, kdf: { name: "PBKDF2", hash: "SHA-256", iterations: ITERATIONS, salt }, iv, wrapped };
}

// A new lock: the record to keep (no secret in it without the passphrase) and the data key for this session.
export async function newLock(passphrase) {
  const dataKey = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  const record = await wrapWith(passphrase, dataKey);
  return { record, key: await unwrap(record, passphrase) };
}

// The data key, or an error (OperationError) when the passphrase is wrong: AES-GCM refuses to unwrap.
// Not extractable unless asked for (only to re-wrap it under a new passphrase).
export async function unwrap(record, passphrase, { extractable = false } = {}) {
  const unwrapping = await passphraseKey(passphrase, record.kdf.salt, record.kdf.iterations, ["unwrapKey"]);
  return crypto.subtle.unwrapKey(
    "raw",
    record.wrapped,
    unwrapping,
    { name: "AES-GCM", iv: record.iv },
    { name: "AES-GCM", length: 256 },
    extractable,
    ["encrypt", "decrypt"],
  );
}

// The same data key under a new passphrase (and a new salt): the records stay exactly as they are.
export async function rewrap(record, oldPassphrase, newPassphrase) {
  return wrapWith(newPassphrase, await unwrap(record, oldPassphrase, { extractable: true }));
}

export async function sealBytes(key, bytes) {
  const iv = random(12);
  return { iv, data: await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, bytes) };
}

export async function openBytes(key, sealed) {
  return crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, key, sealed.data);
}

export const sealJSON = (key, value) => sealBytes(key, encoder.encode(JSON.stringify(value)));
export const openJSON = async (key, sealed) => JSON.parse(decoder.decode(await openBytes(key, sealed)));

// A locked export file: the whole export, sealed with a key from the file's own passphrase.
export async function sealFile(passphrase, value, format) {
  const salt = random(16);
  const key = await passphraseKey(passphrase, salt, ITERATIONS, ["encrypt"]);
  const { iv, data } = await sealJSON(key, value);
  return {
    format: format.name,
    version: format.version,
    kdf: { name: "PBKDF2", hash: "SHA-256", iterations: ITERATIONS, salt: toBase64(salt) },
    cipher: { name: "AES-GCM", iv: toBase64(iv) },
    data: toBase64(data),
  };
}

// The export inside a locked file; an error when the passphrase is wrong or the file was changed.
export async function openFile(passphrase, file) {
  const iterations = Number(file?.kdf?.iterations);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 10_000_000) throw new Error("Not a locked file");
  const key = await passphraseKey(passphrase, fromBase64(file.kdf.salt), iterations, ["decrypt"]);
  return openJSON(key, { iv: fromBase64(file.cipher.iv), data: fromBase64(file.data) });
}
