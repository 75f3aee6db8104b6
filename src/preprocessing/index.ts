/** `capa.preprocessing`: Keras's preprocessing namespaces. */
export * as image from './image/index.js';
