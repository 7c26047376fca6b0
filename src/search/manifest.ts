import type { ModuleManifest } from '../manifest/module-manifest.js';
import { searchIndexWorker } from './index-worker.js';
import type { SearchSources } from './sources.js';

/**
 * Search by name and by words (issue 17, decision 0027): a blind index of keyed term hashes, written
 * by a background indexer from what the messages and contacts modules read for it (`sources`, wired by
 * the composition root), queried by the conversations and contacts lists (`match.ts`). It has no
 * routes of its own.
 */
export function searchManifest(sources: SearchSources): ModuleManifest {
  // Indexing is bulk work behind the conversations: with two worker threads it runs beside the dispatcher.
  return { name: 'search', workers: (ctx) => [searchIndexWorker(ctx, sources)], workerThread: 'dispatch' };
}
