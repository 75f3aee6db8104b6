/** `capa.datasets`: real datasets read from local files. */
export * as mnist from './mnist.js';
