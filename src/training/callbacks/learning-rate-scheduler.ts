/** LearningRateScheduler (Keras 3): sets the rate at the start of every epoch from schedule(epoch, rate). */
import { printMessage } from '../io.js';
import { pythonRepr } from '../python-repr.js';
import { Callback, type Logs } from './callback.js';

export type EpochSchedule = (epoch: number, learningRate: number) => number;

export class LearningRateScheduler extends Callback {
  readonly schedule: EpochSchedule;
  readonly verbose: 0 | 1;

  constructor(schedule: EpochSchedule, options: { verbose?: 0 | 1 } = {}) {
    super();
    if (typeof schedule !== 'function')
      throw new Error('LearningRateScheduler: schedule must be a function (epoch, learningRate) => number.');
    this.schedule = schedule;
    this.verbose = options.verbose ?? 0;
  }

  private optimizer() {
    const optimizer = this.requireModel().optimizer;
    if (!optimizer) throw new Error('LearningRateScheduler: the model has no optimizer; compile it first.');
    return optimizer;
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = this.optimizer();
    const lr = this.schedule(epoch, optimizer.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new Error(`The output of the schedule function should be a finite number. Got: ${String(lr)}`);
    }
    optimizer.learningRate = lr;
    if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${pythonRepr(lr)}.`);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs) logs['learning_rate'] = this.optimizer().learningRate;
  }
}
