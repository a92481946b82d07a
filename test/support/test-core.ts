import { createCore, type Core, type CoreOptions } from '../../src-main/core/create-core.ts';
import { watchCore } from './secret-watch.ts';

/** The core as tests use it: the real one, with everything it hands out searched for secrets. */
export function createTestCore(options: CoreOptions): Core {
  return watchCore(createCore(options));
}
