/** Image files by path, decoded with sharp and capa's codecs. (Browser twin: ../browser/image-files.ts.) */
export { decodeImage as decodeImageBytes, readImageFile as readImage } from '../../data/image-io.js';
