/**
 * Compliance mappings: which controls of NIST SP 800-53, IEC 62443-3-3 and ETSI EN 303 645 each check gives
 * evidence for. The mapping is data (data/compliance.json, with the source of every framework's identifiers),
 * read once and validated with zod; test/compliance.test.ts keeps it complete (every check of the catalogue is
 * mapped, every mapped control exists in its framework).
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readTextFile } from '../io/read.js';

const FrameworkSchema = z.object({ id: z.string(), title: z.string(), source: z.string(), controls: z.record(z.string(), z.string()) }).strict();
const DataSchema = z
  .object({
    $comment: z.string().optional(),
    frameworks: z.array(FrameworkSchema).min(1),
    mappings: z.array(z.object({ why: z.string(), checks: z.array(z.string().regex(/^[A-Z]{3}-\d{3}$/)).min(1), controls: z.record(z.string(), z.array(z.string()).min(1)) }).strict()),
  })
  .strict();

export type Framework = z.infer<typeof FrameworkSchema>;
export type ComplianceData = z.infer<typeof DataSchema>;

/** The shipped mapping (data/compliance.json, next to dist/ and src/). */
export const COMPLIANCE_FILE = fileURLToPath(new URL('../../data/compliance.json', import.meta.url));

let cached: ComplianceData | undefined;
const readShipped = () => readTextFile(COMPLIANCE_FILE, 'settings', { label: 'compliance mapping' });

export function complianceData(): ComplianceData {
  cached ??= DataSchema.parse(JSON.parse(readShipped()));
  return cached;
}

export interface ControlRef {
  framework: string;
  frameworkTitle: string;
  id: string;
  title: string;
}

/** The controls a check is mapped to, in framework order. */
export function controlsOf(checkId: string, data: ComplianceData = complianceData()): ControlRef[] {
  const out: ControlRef[] = [];
  for (const fw of data.frameworks) {
    const ids = new Set(data.mappings.filter((m) => m.checks.includes(checkId)).flatMap((m) => m.controls[fw.id] ?? []));
    for (const id of Object.keys(fw.controls)) if (ids.has(id)) out.push({ framework: fw.id, frameworkTitle: fw.title, id, title: fw.controls[id]! });
  }
  return out;
}

/** A framework by its id, or its title's first word in any case (`nist`, `iec`, `etsi`). */
export function findFramework(name: string, data: ComplianceData = complianceData()): Framework | undefined {
  const n = name.toLowerCase();
  return data.frameworks.find((f) => f.id === n) ?? data.frameworks.find((f) => f.id.startsWith(`${n}-`) || f.id.split('-')[0] === n);
}

export interface Coverage {
  framework: Framework;
  controls: { id: string; title: string; checks: string[] }[];
}

/** For every control of a framework, the checks (of `checkIds`) that give evidence for it. */
export function coverage(framework: Framework, checkIds: readonly string[], data: ComplianceData = complianceData()): Coverage {
  const known = new Set(checkIds);
  return {
    framework,
    controls: Object.entries(framework.controls).map(([id, title]) => ({
      id,
      title,
      checks: [...new Set(data.mappings.filter((m) => m.controls[framework.id]?.includes(id)).flatMap((m) => m.checks.filter((c) => known.has(c))))].sort(),
    })),
  };
}
