// The device lock's state, and the sealing of records with it (static/js/lock.js does the cryptography).
//
// With a lock set, every record in the assessments, clients, photos and derived stores, and the settings that
// hold a document or a name, is kept sealed (static/js/lock.js): only the keys the stores are looked up by stay
// plain (random ids, "<visit id>/<item id>" for a photo). The unwrapped data key is kept while the device is
// unlocked, in this page's memory and in the settings store (so the next page opens without asking), and deleted
// when the device locks: after LOCK_DEFAULTS.idleSeconds without a touch, after hiddenSeconds hidden, or with the
// Lock button. Without a lock nothing is sealed and nobody is asked for anything.
//
// The other modules of store/ seal every record they write and unseal every record they read through seal()
// and unseal() below.
import { request, run, runMany } from "./db.js";
import * as lock from "../lock.js";
import { appPath } from "../words.js";

const LOCK = "lock"; // settings: the wrapped data key and the times; absent when there is no lock
const SESSION = "lock-session"; // settings: { key } while unlocked
const USED = "lock-used"; // settings: { active, hidden }: when the device was last touched, and hidden since when
const TRIES = "lock-tries"; // settings: { count, until }: wrong passphrases in a row, and no try before `until`
export const LOCK_DEFAULTS = { idleSeconds: 300, hiddenSeconds: 60 };
const FREE_TRIES = 3; // then 5 s, 10 s, 20 s ... up to 5 minutes between tries
const sealedSetting = (key) => key === "last-assessor" || String(key).startsWith("before-migration:");

let sessionKey = null; // the data key while unlocked
let waiting = null; // { promise, resolve } while this page waits for the passphrase
let lastActive = Date.now();
let hiddenSince = null;
let lastSaved = 0;
let watching = false;
let limits = { ...LOCK_DEFAULTS };
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("safesteps-lock") : null;

// What a page does when the device locks or its data is asked for while locked: by default, go to the clients
// page, which asks for the passphrase and then shows the list. The clients page sets its own.
let whenLocked = () => {
  if (document.body.dataset.page !== "clients") window.location.assign(appPath("/clients"));
};
export function onLocked(handler) {
  whenLocked = handler;
}
// And when another page of this browser unlocks the device (the clients page then shows the list again).
let whenUnlockedElsewhere = () => {};
export function onUnlockedElsewhere(handler) {
  whenUnlockedElsewhere = handler;
}

const lockRecord = () => run("settings", "readonly", (s) => s.get(LOCK));

function expired(used, record) {
  const now = Date.now();
  if (!used) return true;
  if (used.hidden && now - used.hidden > record.hiddenSeconds * 1000) return true;
  return now - used.active > record.idleSeconds * 1000;
}

// The data key if the device is unlocked (here or in another page of this browser), else null.
async function currentKey(record) {
  if (sessionKey) return sessionKey;
  const [session, used] = await Promise.all([
    run("settings", "readonly", (s) => s.get(SESSION)),
    run("settings", "readonly", (s) => s.get(USED)),
  ]);
  if (!session) return null;
  if (expired(used, record)) {
    await forget();
    return null;
  }
  sessionKey = session.key;
  lastActive = Date.now();
  await saveUse(null);
  return sessionKey;
}

async function forget() {
  sessionKey = null;
  await runMany(["settings"], "readwrite", ({ settings }) => {
    settings.delete(SESSION);
    settings.delete(USED);
  });
}

async function saveUse(hidden) {
  lastSaved = Date.now();
  await run("settings", "readwrite", (s) => s.put({ active: lastActive, hidden }, USED));
}

// "off" (no lock on this device), "locked" or "unlocked".
export async function lockState() {
  const record = await lockRecord();
  if (!record) return "off";
  return (await currentKey(record)) ? "unlocked" : "locked";
}

export async function lockTimes() {
  const record = await lockRecord();
  return record ? { idleSeconds: record.idleSeconds, hiddenSeconds: record.hiddenSeconds } : { ...LOCK_DEFAULTS };
}

// The data key for sealing and unsealing: null without a lock; while locked, it waits for the passphrase.
async function dataKey() {
  const record = await lockRecord();
  if (!record) return null;
  const key = await currentKey(record);
  if (key) return key;
  if (!waiting) {
    let resolve;
    const promise = new Promise((done) => { resolve = done; });
    waiting = { promise, resolve };
    whenLocked();
  }
  return waiting.promise;
}

async function sealWith(key, storeName, value, settingsKey) {
  if (!key || value === undefined) return value;
  if (storeName === "assessments" || storeName === "clients") return { id: value.id, sealed: await lock.sealJSON(key, value) };
  if (storeName === "photos") {
    const { blob, ...meta } = value;
    return { key: value.key, assessment: value.assessment, client: value.client,
      sealed: await lock.sealJSON(key, meta), sealedBlob: await lock.sealBytes(key, await blob.arrayBuffer()) };
  }
  if (storeName === "derived" || (storeName === "settings" && sealedSetting(settingsKey))) {
    return { sealed: await lock.sealJSON(key, value) };
  }
  return value;
}

// A value as it is to be stored: sealed when this device has a lock.
export async function seal(storeName, value, settingsKey) {
  return sealWith(await dataKey(), storeName, value, settingsKey);
}

async function unsealWith(key, stored) {
  if (!stored?.sealed) return stored;
  const value = await lock.openJSON(key, stored.sealed);
  if (stored.sealedBlob) value.blob = new Blob([await lock.openBytes(key, stored.sealedBlob)], { type: value.type });
  return value;
}

export async function unseal(stored) {
  return stored?.sealed ? unsealWith(await dataKey(), stored) : stored;
}

export const unsealAll = (values) => Promise.all(values.map(unseal));

async function unlocked(key) {
  sessionKey = key;
  lastActive = Date.now();
  await run("settings", "readwrite", (s) => s.put({ key }, SESSION));
  await saveUse(null);
  await run("settings", "readwrite", (s) => s.delete(TRIES));
  waiting?.resolve(key);
  waiting = null;
  channel?.postMessage("unlocked");
  watchLock();
}

// Sets the lock: a new data key, and everything already kept sealed with it in one transaction.
export async function setLock(passphrase, times = {}) {
  if (await lockRecord()) throw new Error("This device already has a lock.");
  const { record, key } = await lock.newLock(passphrase);
  Object.assign(record, LOCK_DEFAULTS, times);
  const stores = ["assessments", "clients", "photos", "derived", "settings"];
  const found = await runMany(stores, "readonly", async (s) => {
    const all = {};
    for (const name of stores) all[name] = [await request(s[name].getAllKeys()), await request(s[name].getAll())];
    return all;
  });
  const sealed = {};
  for (const name of stores) {
    const [keys, values] = found[name];
    sealed[name] = [];
    for (const [i, value] of values.entries()) {
      const outKey = name === "derived" || name === "settings" ? keys[i] : undefined;
      if (name === "settings" && !sealedSetting(outKey)) continue;
      sealed[name].push([outKey, await sealWith(key, name, value, outKey)]);
    }
  }
  await runMany(stores, "readwrite", (s) => {
    for (const name of stores) for (const [outKey, value] of sealed[name]) s[name].put(value, outKey);
    s.settings.put(record, LOCK);
  });
  await unlocked(key);
}

// { ok: true }, or { ok: false, wait: seconds before the next try }. A wrong passphrase changes no record.
export async function unlock(passphrase) {
  const record = await lockRecord();
  if (!record) return { ok: true };
  const tries = (await run("settings", "readonly", (s) => s.get(TRIES))) ?? { count: 0, until: 0 };
  if (Date.now() < tries.until) return { ok: false, wait: Math.ceil((tries.until - Date.now()) / 1000) };
  let key;
  try {
    key = await lock.unwrap(record, passphrase);
  } catch {
    const count = tries.count + 1;
    const wait = count >= FREE_TRIES ? Math.min(5 * 2 ** (count - FREE_TRIES), 300) : 0;
    await run("settings", "readwrite", (s) => s.put({ count, until: Date.now() + wait * 1000 }, TRIES));
    return { ok: false, wait };
  }
  await unlocked(key);
  return { ok: true };
}

// A new passphrase for the same data key: only the wrapped key changes, never a record.
export async function changePassphrase(oldPassphrase, newPassphrase) {
  const record = await lockRecord();
  let wrapped;
  try {
    wrapped = await lock.rewrap(record, oldPassphrase, newPassphrase);
  } catch {
    return false;
  }
  const times = { idleSeconds: record.idleSeconds, hiddenSeconds: record.hiddenSeconds };
  await run("settings", "readwrite", (s) => s.put({ ...wrapped, ...times }, LOCK));
  return true;
}

export async function setLockTimes(times) {
  const record = await lockRecord();
  if (!record) return;
  await run("settings", "readwrite", (s) => s.put({ ...record, ...times }, LOCK));
  limits = { ...limits, ...times };
}

export async function lockNow() {
  await forget();
  channel?.postMessage("locked");
  whenLocked();
}

channel?.addEventListener("message", async ({ data }) => {
  if (data === "locked") {
    sessionKey = null;
    whenLocked();
  } else if (data === "unlocked") {
    const record = await lockRecord();
    const key = record && (await currentKey(record));
    if (!key) return;
    waiting?.resolve(key);
    waiting = null;
    whenUnlockedElsewhere();
  }
});

// Locks after the idle time without a touch, or once hidden for hiddenSeconds; every page runs this.
export async function watchLock() {
  const record = await lockRecord();
  if (!record || watching) return;
  watching = true;
  limits = { idleSeconds: record.idleSeconds, hiddenSeconds: record.hiddenSeconds };
  const touch = () => {
    lastActive = Date.now();
    if (sessionKey && lastActive - lastSaved > 5000) saveUse(null);
  };
  for (const name of ["pointerdown", "keydown", "wheel", "input"]) document.addEventListener(name, touch, { passive: true });
  const check = async () => {
    if (!sessionKey) return;
    const now = Date.now();
    if (hiddenSince && now - hiddenSince > limits.hiddenSeconds * 1000) {
      await lockNow();
    } else if (now - lastActive > limits.idleSeconds * 1000) {
      // Another page of this browser may have been in use meanwhile.
      const used = await run("settings", "readonly", (s) => s.get(USED));
      if (used && !used.hidden && used.active > lastActive) lastActive = used.active;
      else await lockNow();
    }
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      hiddenSince = Date.now();
      if (sessionKey) saveUse(hiddenSince);
    } else {
      check().then(() => {
        hiddenSince = null;
        if (sessionKey) touch();
      });
    }
  });
  setInterval(check, 1000);
}
