/** A browser has no files: a plain string like 'models/cnn.keras' is a URL relative to the page. (Node twin: ../node/locations.ts.) */
export const plainPathsAreUrls = true;
