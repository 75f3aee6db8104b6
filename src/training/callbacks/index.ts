/** `capa.callbacks`: the Callback base and Keras's built-in callbacks. */
export { BackupAndRestore, type BackupAndRestoreOptions } from './backup-and-restore.js';
export { Callback, type CallbackModel, type CallbackParams, type HookResult, type Logs } from './callback.js';
export { CallbackList } from './callback-list.js';
export { CSVLogger, type CSVLoggerOptions } from './csv-logger.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { formatPath } from './format-path.js';
export { History, type HistoryJSON } from './history.js';
export { LambdaCallback, type LambdaCallbackHooks } from './lambda-callback.js';
export { type EpochSchedule, LearningRateScheduler } from './learning-rate-scheduler.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint.js';
export { MonitorCallback, type MonitorMode } from './monitor.js';
export { ProgbarLogger } from './progbar-logger.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export { TerminateOnNaN } from './terminate-on-nan.js';
