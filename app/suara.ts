#!/usr/bin/env node
// The composition root: which channel adapters this build of Suara runs. Everything under src/
// is channel-neutral; adapters/ holds one folder per channel; this file puts them together.
import { CHANNELS } from '../adapters';
import { runCli } from '../src/cli/main';

runCli(CHANNELS);
