#!/usr/bin/env node
// Exits non-zero unless the installed zookeeper addon is the build of patches/zookeeper+7.3.0.patch, at
// the level that patch sets (its ZKBENCH_PATCH marker, read as scripts/setup.mjs reads it). The image
// build (Dockerfile) runs it so that an image whose addon zkbench would refuse to run is never produced.
// Plain Node ESM with no dependencies, run from the project directory.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const PATCH = 'patches/zookeeper+7.3.0.patch';
const expected = /ZKBENCH_PATCH"\), Nan::New<Integer>\((\d+)\)/.exec(fs.readFileSync(PATCH, 'utf8'))?.[1];
if (expected === undefined) {
  console.error(`${PATCH} has no ZKBENCH_PATCH marker: cannot tell which addon build to expect`);
  process.exit(1);
}
const loaded = String(createRequire(`${process.cwd()}/`)('zookeeper').constants.ZKBENCH_PATCH);
if (loaded !== expected) {
  console.error(
    `the zookeeper addon is at patch level ${loaded}, ${PATCH} builds level ${expected}: ` +
      'remove node_modules/zookeeper/build and node_modules/zookeeper/deps/zookeeper-client-c, then `npm rebuild zookeeper`',
  );
  process.exit(1);
}
console.log(`zookeeper addon: zkbench patch level ${loaded}`);
