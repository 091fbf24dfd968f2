// The device's IndexedDB database and its transactions, for the other modules of store/: nothing here knows
// what a record means or whether it is sealed.

const DB_NAME = "safesteps";
// 2: home visits (an OT's clients, and photos kept apart from the assessment JSON). Upgrades only add stores.
const DB_VERSION = 2;

let dbPromise = null;
function openDb() {
  dbPromise ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("assessments")) db.createObjectStore("assessments", { keyPath: "id" });
      if (!db.objectStoreNames.contains("settings")) db.createObjectStore("settings");
      // Things derived from an assessment by the server (personalisation, the last plan): safe to lose.
      if (!db.objectStoreNames.contains("derived")) db.createObjectStore("derived");
      // An OT's clients: { id, name, created }. Their visits are assessments whose visit.client_id names them.
      if (!db.objectStoreNames.contains("clients")) db.createObjectStore("clients", { keyPath: "id" });
      // One photo per visit and item: { key: "<assessment id>/<item id>", assessment, client, item, blob, ... }.
      if (!db.objectStoreNames.contains("photos")) {
        db.createObjectStore("photos", { keyPath: "key" }).createIndex("assessment", "assessment");
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // A newer release open in another tab needs to upgrade the database: step aside rather than block it
      // (a blocked upgrade would leave that tab waiting with the answers out of reach). The next call reopens.
      db.onversionchange = () => {
        db.close();
        dbPromise = null;
      };
      resolve(db);
    };
    request.onerror = () => {
      dbPromise = null;
      reject(request.error);
    };
  });
  return dbPromise;
}

export async function run(storeName, mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode);
    const request = action(tx.objectStore(storeName));
    tx.oncomplete = () => resolve(request?.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

// Several stores in one transaction: all of it happens, or none of it.
export async function runMany(storeNames, mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeNames, mode);
    const stores = Object.fromEntries(storeNames.map((name) => [name, tx.objectStore(name)]));
    let result;
    let pending;
    try {
      pending = Promise.resolve(action(stores, tx));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then((value) => { result = value; }, (error) => { tx.abort(); reject(error); });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const request = (req) => new Promise((resolve, reject) => {
  req.onsuccess = () => resolve(req.result);
  req.onerror = () => reject(req.error);
});
