/**
 * The one line per goal every bench prints, which bench/run.ts collects into the final goals table:
 *   GOAL <name> | measured <value> | goal <goal> | MET
 *   GOAL <name> | measured <value> | goal <goal> | MISSED by <how much>
 * And the helpers of an interleaved comparison (A B A B …, medians, ratio).
 */

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Prints (and returns) the GOAL line. `missedBy` is only shown when the goal is missed. */
export function printGoal(name: string, measured: string, goal: string, met: boolean, missedBy: string): string {
  const line = `GOAL ${name} | measured ${measured} | goal ${goal} | ${met ? 'MET' : `MISSED by ${missedBy}`}`;
  console.log(line);
  return line;
}

/** A "faster than" goal: `ratio` ≥ `goal`, missed by the factor still lacking. */
export function ratioGoal(name: string, ratio: number, detail: string, goal: number): string {
  return printGoal(name, `${ratio.toFixed(0)}× (${detail})`, `≥ ${goal}×`, ratio >= goal, `${(goal / ratio).toFixed(2)}× (${ratio.toFixed(0)}× of ${goal}×)`);
}

/** The load average of the last minute, five and fifteen minutes (the machine is shared). */
export async function loadAverage(): Promise<string> {
  const os = await import('node:os');
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

/**
 * Runs `a` and `b` interleaved `pairs` times (A B A B …) and returns their times in ms, so that load from
 * other work on the machine falls on both alike.
 */
export async function interleaved(pairs: number, a: () => Promise<number> | number, b: () => Promise<number> | number): Promise<{ a: number[]; b: number[] }> {
  const out = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < pairs; i++) {
    out.a.push(await a());
    out.b.push(await b());
  }
  return out;
}
