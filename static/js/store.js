// Everything this device keeps, in IndexedDB, and nowhere else: a page imports all of its storage from here.
// Each assessment is keyed by its own id so that several (an OT's clients) can live side by side; "current"
// names the one being worked on. The document's format is not defined here: pwa/assessment.py owns it and
// writes it into every page.
//
// The work is split by job under store/:
//   db.js        the database and its transactions
//   sealing.js   the device lock's state, and the sealing of every record while a lock is set (lock.js does the
//                cryptography)
//   records.js   one assessment record: the format's contract, a new record, reads and writes by id
//   current.js   the assessment this page was opened for: opening, upgrading, updates, derived data, hand-off
//   clients.js   home visits: clients, their visits and photos
//   transfer.js  export and import of clients
export {
  AssessmentGone,
  changedAnswer,
  changedOt,
  currentId,
  fitNote,
  getAssessment,
  LIMITS,
  newAssessment,
  save,
  SCHEMA_VERSION,
  setCurrent,
  today,
} from "./store/records.js";
export {
  askForPersistentStorage,
  getDerived,
  hasOwnAnswers,
  keepHandedOff,
  loadCurrent,
  openedId,
  otherOwnAssessment,
  putDerived,
  switchToOtherOwn,
  update,
} from "./store/current.js";
export {
  createClient,
  currentClient,
  deleteClient,
  deletePhoto,
  getClient,
  lastAssessor,
  listClients,
  openClient,
  photosFor,
  putPhoto,
  renameClient,
  startFollowUp,
  updateVisit,
} from "./store/clients.js";
export { exportClients, importClients } from "./store/transfer.js";
export {
  changePassphrase,
  LOCK_DEFAULTS,
  lockNow,
  lockState,
  lockTimes,
  onLocked,
  onUnlockedElsewhere,
  setLock,
  setLockTimes,
  unlock,
  watchLock,
} from "./store/sealing.js";
