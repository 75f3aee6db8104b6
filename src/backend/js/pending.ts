/** Kernels still to be written for the reference backend (issue 2). Each throws until done. */
function pending(name: string): never {
  throw new Error(`JsBackend.${name}: kernel not written yet.`);
}

export const slice = (..._: unknown[]): void => pending('slice');
export const sliceAssign = (..._: unknown[]): void => pending('sliceAssign');
export const concat = (..._: unknown[]): void => pending('concat');
export const pad = (..._: unknown[]): void => pending('pad');
export const tile = (..._: unknown[]): void => pending('tile');
export const gather = (..._: unknown[]): void => pending('gather');
export const scatterAdd = (..._: unknown[]): void => pending('scatterAdd');
export const oneHot = (..._: unknown[]): void => pending('oneHot');
export const conv2d = (..._: unknown[]): void => pending('conv2d');
export const conv2dBackpropInput = (..._: unknown[]): void => pending('conv2dBackpropInput');
export const conv2dBackpropFilter = (..._: unknown[]): void => pending('conv2dBackpropFilter');
export const depthwiseConv2d = (..._: unknown[]): void => pending('depthwiseConv2d');
export const depthwiseConv2dBackpropInput = (..._: unknown[]): void => pending('depthwiseConv2dBackpropInput');
export const depthwiseConv2dBackpropFilter = (..._: unknown[]): void => pending('depthwiseConv2dBackpropFilter');
export const maxPool2d = (..._: unknown[]): void => pending('maxPool2d');
export const maxPool2dGrad = (..._: unknown[]): void => pending('maxPool2dGrad');
export const avgPool2d = (..._: unknown[]): void => pending('avgPool2d');
export const avgPool2dGrad = (..._: unknown[]): void => pending('avgPool2dGrad');
export const batchNormInference = (..._: unknown[]): void => pending('batchNormInference');
export const batchNormTraining = (..._: unknown[]): void => pending('batchNormTraining');
export const batchNormGrad = (..._: unknown[]): void => pending('batchNormGrad');
