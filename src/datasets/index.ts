/** `capa.datasets`: real datasets read from local files (Keras's files; downloaded only when asked). */
export * as bostonHousing from './boston-housing.js';
export * as cifar10 from './cifar10.js';
export * as cifar100 from './cifar100.js';
export * as fashionMnist from './fashion-mnist.js';
export * as imdb from './imdb.js';
export * as mnist from './mnist.js';
export * as reuters from './reuters.js';
