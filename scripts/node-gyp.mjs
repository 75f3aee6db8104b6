// How to run node-gyp offline, shared by the shipped build (build-native.mjs) and the sanitizer
// build (build-native-asan.mjs).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** npm passes its bundled node-gyp to lifecycle scripts; run by hand, look for npm's copy next to node. */
function findNodeGyp() {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  const bundled = join(
    dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
  return existsSync(bundled) ? bundled : null;
}

/** Offline headers: npm's configured nodedir, else the running node's own install when it ships them. */
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const candidates = [process.config.variables.node_prefix, join(dirname(process.execPath), '..')];
  const prefix = candidates.find((p) => p && existsSync(join(p, 'include', 'node', 'node_api.h')));
  return prefix ? [`--nodedir=${prefix}`] : [];
}

/**
 * The command and arguments that run node-gyp's `command` (rebuild, configure, build) on the
 * binding.gyp in `directory`; its output goes to `directory`/build.
 */
export function nodeGyp(command, directory) {
  const nodeGypJs = findNodeGyp();
  const [cmd, baseArgs] = nodeGypJs ? [process.execPath, [nodeGypJs]] : ['node-gyp', []];
  const configures = command === 'rebuild' || command === 'configure';
  return {
    cmd,
    args: [
      ...baseArgs,
      command,
      ...(command === 'configure' ? [] : ['--jobs', 'max']),
      ...(configures ? nodedirArgs() : []),
      '--directory',
      directory,
    ],
  };
}
