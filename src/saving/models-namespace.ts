/** `capa.models`: Keras's `keras.models` loading functions (`models.loadModel(path)`). */
export { type LoadModelOptions, loadModel, loadModelFromBytes, type ModelSource, saveModelToBytes } from './api.js';
