/**
 * The fact provider of the drill scope: one `drill run` is one subject, and its journal the one fact
 * (`drill.journal`) the drill checks judge. Registered like the providers of the other scopes
 * (src/core/providers.ts); the engine calls it through `RunRequest.drill`.
 */
import type { Provider } from '../core/providers.js';
import type { DrillJournal } from './model.js';
import type { DrillRunOptions } from './run.js';

export interface DrillSubject extends DrillRunOptions {
  /** Called with the journal once the run is over (the terminal report prints it before the summary). */
  onJournal?: (j: DrillJournal) => void;
}

export const DRILL_PROVIDERS: readonly Provider<DrillSubject>[] = [
  {
    name: 'drill run',
    scope: 'drill',
    provides: ['drill.journal'],
    async collect({ subject }) {
      const { runDrill } = await import('./run.js');
      const t0 = performance.now();
      const journal = await runDrill(subject);
      subject.onJournal?.(journal);
      return { 'drill.journal': { state: 'ok', value: journal, ms: Math.round(performance.now() - t0) } };
    },
  },
];
