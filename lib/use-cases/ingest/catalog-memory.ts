// What this process remembers of the catalogue it has written, so it writes each entry at most once every
// CATALOG_EVERY_MS (metric-catalog.ts). Each map empties itself past its bound; tests empty them to play
// "a minute later" or a fresh process.

/** When each catalogue entry (metric, token link, attribute value) was last written, by key. */
export const catalogWritten = new Map<string, number>();
/** When each metric's attribute values from each resource were last all collected for the catalogue. */
export const catalogCollected = new Map<string, number>();
/** Per token, metric and attribute key, how many values this process has added (at most CATALOG_VALUES_PER_KEY). */
export const valuesPerKey = new Map<string, number>();
/** Per token, the metric names it has put in the catalogue (read again from the database every CATALOG_EVERY_MS). */
export const tokenNames = new Map<string, { names: Set<string>; loadedAt: number }>();
