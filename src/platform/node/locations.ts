/** In Node a plain string is a file path; only URLs with a scheme are fetched. (Browser twin: ../browser/locations.ts.) */
export const plainPathsAreUrls = false;
