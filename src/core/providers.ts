/**
 * Fact providers: the registered sources of facts. A provider declares the scope
 * it serves, the fact keys it produces and the facts of the same subject it reads;
 * a run asks only for the facts its selected checks need (`needs` and `uses`), and
 * `collectFacts` runs just the providers that produce them, each after the ones
 * it reads from, independent ones concurrently.
 *
 * Adding a collector = one provider object in the registry of its scope
 * (src/collectors/endpoint.ts, src/collectors/host.ts, src/collectors/system/index.ts).
 */
import type { FactMap } from './facts.js';
import type { Check } from './check.js';
import type { FactKey, Scope } from './types.js';

export interface ProviderContext<S> {
  /** What the facts are about: an endpoint, a network host, or the audited system, with the run's settings. */
  subject: S;
  /** Facts of this subject collected so far (every key of `reads` is there when `collect` starts). */
  facts: Readonly<FactMap>;
  /** Every fact the run wants from this subject: a provider producing several may leave out the unwanted ones. */
  wanted: ReadonlySet<FactKey>;
  /** Work shared by several providers of one subject (a parsed config, a package database), done once. */
  memo<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** A note for the report (once per text). */
  note(text: string): void;
}

export interface Provider<S = unknown> {
  /** For error messages and the docs. */
  name: string;
  scope: Scope;
  provides: readonly FactKey[];
  /**
   * Facts this provider reads: those of its own scope are collected (or failed) before it runs. A key no
   * provider of the scope produces comes from the run when it has it (`base` of collectFacts; the engine
   * gives host providers this machine's sys.* facts when the run audits the live machine), else it is absent.
   */
  reads?: readonly FactKey[];
  /** Collect; every key of `provides` that is wanted must be set (a missing one becomes an ERROR fact). */
  collect(ctx: ProviderContext<S>): Promise<FactMap>;
}

/** Every fact key the checks read, `needs` and `uses`. */
export function factsFor(checks: readonly Check[]): Set<FactKey> {
  const keys = new Set<FactKey>();
  for (const c of checks) for (const k of [...c.meta.needs, ...(c.meta.uses ?? [])]) keys.add(k);
  return keys;
}

/** The providers needed for `wanted`, with what they read, transitively. */
function closure<S>(providers: readonly Provider<S>[], wanted: ReadonlySet<FactKey>): { chosen: Provider<S>[]; keys: Set<FactKey> } {
  const keys = new Set(wanted);
  const chosen = new Set<Provider<S>>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of providers) {
      if (chosen.has(p) || !p.provides.some((k) => keys.has(k))) continue;
      chosen.add(p);
      grew = true;
      for (const k of p.reads ?? []) keys.add(k);
    }
  }
  return { chosen: providers.filter((p) => chosen.has(p)), keys };
}

/** The keys the providers needed for `wanted` read that none of them produces (facts of another scope). */
export function externalReads<S>(providers: readonly Provider<S>[], wanted: ReadonlySet<FactKey>): Set<FactKey> {
  const { chosen } = closure(providers, wanted);
  const produced = new Set(chosen.flatMap((p) => p.provides));
  return new Set(chosen.flatMap((p) => (p.reads ?? []).filter((k) => !produced.has(k))));
}

/**
 * Run the providers that produce `wanted` (and what they read) for one subject.
 * `base` holds facts already known (they are not collected again). A provider that
 * throws turns its facts into ERROR facts with the message; one that reads a fact
 * nobody provides is a programming error, reported the same way.
 */
export async function collectFacts<S>(
  providers: readonly Provider<S>[],
  subject: S,
  wanted: ReadonlySet<FactKey>,
  opts: { base?: FactMap; notes?: string[] } = {},
): Promise<FactMap> {
  const base = opts.base ?? {};
  const facts: FactMap = { ...base };
  const notes = opts.notes ?? [];
  const note = (text: string) => void (notes.includes(text) || notes.push(text));
  const { chosen, keys } = closure(providers, wanted);
  const memos = new Map<string, Promise<unknown>>();
  const memo = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    let p = memos.get(key) as Promise<T> | undefined;
    if (!p) memos.set(key, (p = fn()));
    return p;
  };
  const pending = new Set(chosen.filter((p) => p.provides.some((k) => !(k in base))));
  const producedBy = (k: FactKey) => chosen.some((p) => p.provides.includes(k));
  while (pending.size) {
    const ready = [...pending].filter((p) => (p.reads ?? []).every((k) => k in facts || !producedBy(k)));
    if (!ready.length) throw new Error(`fact providers read each other in a cycle: ${[...pending].map((p) => p.name).join(', ')}`);
    await Promise.all(
      ready.map(async (p) => {
        pending.delete(p);
        const t0 = performance.now();
        let got: FactMap;
        try {
          got = await p.collect({ subject, facts, wanted: keys, memo, note });
        } catch (e) {
          const error = `${p.name}: ${e instanceof Error ? e.message : String(e)}`;
          got = Object.fromEntries(p.provides.map((k) => [k, { state: 'error', error, ms: Math.round(performance.now() - t0) }]));
        }
        for (const k of p.provides) {
          if (!keys.has(k) || k in base) continue;
          (facts as Record<string, unknown>)[k] = got[k] ?? { state: 'error', error: `${p.name} produced no ${k}`, ms: 0 };
        }
      }),
    );
  }
  return facts;
}
