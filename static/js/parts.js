// Rooms and parts of a room this home lacks ("No stairs in my home", "No outside steps"). Both are kept in the
// assessment's `skipped` by id (a section id, or a part id from checklists/sections), and an item in either is
// left out of every count, list and plan. Which part each item is in comes from the content, written into the page.
let partOf = null;

export function partOfItem(id) {
  partOf ??= JSON.parse(document.getElementById("parts-of-items")?.textContent || "{}");
  return partOf[id];
}

// Every item that is in a part of a room: item id -> part id.
export function partsOfItems() {
  partOfItem("");
  return partOf;
}

// A test for one assessment: is this item left out?
export function leftOutIn(assessment) {
  const skipped = new Set(assessment.skipped ?? []);
  return (id) => skipped.has(id.split(".")[0]) || skipped.has(partOfItem(id));
}
