/** `capa.utils`: helpers shared across areas (each area adds its own exports here). */
export { toCategorical } from './to-categorical.js';
