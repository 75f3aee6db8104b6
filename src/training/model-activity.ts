/**
 * What is running on a model now, so that calls which would interleave silently are refused or
 * wait. fit yields to the event loop between batches (and every loop awaits its callbacks), so
 * another call on the same model can start between two training steps:
 * - fit, evaluate, trainOnBatch and testOnBatch share the model's compiled state, the loss
 *   tracker and metrics they reset and accumulate (and fit's optimizer): a second one while one
 *   runs is refused, since their numbers would mix (also from a fit callback: evaluating there
 *   would reset the epoch's running metrics; fit's validationData is the way to evaluate);
 * - predict shares no state but reads the weights fit changes: fit waits for the predicts in
 *   progress before its next step, so each predict sees one set of weights, from a fit callback
 *   (as in Keras) or from elsewhere. trainOnBatch cannot wait (it is one synchronous step), so it
 *   is refused during a predict.
 */
import type { Model } from '../models/functional.js';

export type LoopName = 'fit' | 'evaluate' | 'predict' | 'trainOnBatch' | 'testOnBatch';

interface Activity {
  /** The loop holding the compiled state (fit, evaluate, trainOnBatch, testOnBatch), if any. */
  owner: LoopName | null;
  /** How many predicts are in progress. */
  predicting: number;
  /** Resumed when the last predict in progress ends. */
  whenNoPredict: (() => void)[];
}

const activities = new WeakMap<Model, Activity>();

function activityOf(model: Model): Activity {
  let activity = activities.get(model);
  if (!activity) {
    activity = { owner: null, predicting: 0, whenNoPredict: [] };
    activities.set(model, activity);
  }
  return activity;
}

/** Marks `loop` as running on the model until the returned release is called; throws if it would interleave. */
export function beginLoop(model: Model, loop: LoopName): () => void {
  const activity = activityOf(model);
  if (loop === 'predict') {
    activity.predicting++;
    return () => {
      activity.predicting--;
      if (activity.predicting === 0) for (const resume of activity.whenNoPredict.splice(0)) resume();
    };
  }
  const { owner } = activity;
  if (owner !== null) {
    const hint =
      owner === 'fit' && (loop === 'evaluate' || loop === 'testOnBatch')
        ? ' To evaluate during training, pass validationData to fit.'
        : '';
    throw new Error(
      `${loop}: model "${model.name}" is running ${owner}() now, and both reset and accumulate the same loss and metric state, so their results would mix. Await the ${owner}() before calling ${loop}().${hint}`,
    );
  }
  if (loop === 'trainOnBatch' && activity.predicting > 0) {
    throw new Error(
      `trainOnBatch: model "${model.name}" is running predict() now; changing its weights would give predict's batches different weights. Await the predict() first.`,
    );
  }
  activity.owner = loop;
  return () => {
    activity.owner = null;
  };
}

/** Runs an awaited loop (fit, evaluate) as `loop`, refused (beginLoop) while another would interleave. */
export async function runExclusive<T>(model: Model, loop: LoopName, run: () => Promise<T>): Promise<T> {
  const release = beginLoop(model, loop);
  try {
    return await run();
  } finally {
    release();
  }
}

/** Resolves once no predict is running on the model: fit awaits it before each step. */
export function noPredictRunning(model: Model): Promise<void> | null {
  const activity = activityOf(model);
  if (activity.predicting === 0) return null;
  return new Promise((resume) => activity.whenNoPredict.push(resume));
}
