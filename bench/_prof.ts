import * as capa from '../src/index.js';
capa.setBackend('js');
const x = capa.randomNormal([8, 56, 56, 64], { seed: 1 });
const k = capa.randomNormal([3, 3, 64, 64], { seed: 2 });
for (let i = 0; i < 6; i++) capa.ops.conv2d(x, k, { padding: 'same' });
