/** TerminateOnNaN (Keras 3): stops training as soon as a batch's loss is NaN or infinite. */
import { printMessage } from '../io.js';
import { Callback, type Logs } from './callback.js';

export class TerminateOnNaN extends Callback {
  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    const loss = logs?.['loss'];
    if (loss !== undefined && !Number.isFinite(loss)) {
      printMessage(`Batch ${batch}: Invalid loss, terminating training`);
      this.requireModel().stopTraining = true;
    }
  }
}
