/**
 * The offline advisory database: CVE JSON 5 records (the format of the openssl
 * `release-metadata` repository's `secjson/CVE-*.json` files and of cve.org),
 * bundled in one file with its snapshot date. Shipped as data/advisories.json;
 * `mqtt-warden advisories update --from FILE` merges newer records into a copy
 * in the user's data directory. Validated with zod; nothing is fetched.
 */
import { isRegularFile, readTextFile } from '../io/read.js';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Severity } from '../core/types.js';
import { parseVersion, type VersionRange } from './version.js';

import { PRODUCTS, userDbPath, type Product } from './products.js';

export { PRODUCTS, userDbPath, type Product };

const versionEntry = z.object({
  version: z.string(),
  status: z.enum(['affected', 'unaffected', 'unknown']),
  lessThan: z.string().optional(),
  lessThanOrEqual: z.string().optional(),
  versionType: z.string().optional(),
});

const metric = z
  .object({
    format: z.string().optional(),
    other: z.object({ type: z.string(), content: z.unknown() }).optional(),
    cvssV3_1: z.object({ baseSeverity: z.string(), baseScore: z.number().optional() }).partial().optional(),
    cvssV3_0: z.object({ baseSeverity: z.string(), baseScore: z.number().optional() }).partial().optional(),
    cvssV4_0: z.object({ baseSeverity: z.string(), baseScore: z.number().optional() }).partial().optional(),
  })
  .loose();

/** The part of a CVE JSON 5 record the matcher uses; other fields are kept but not read. */
export const cveRecordSchema = z
  .object({
    dataType: z.literal('CVE_RECORD'),
    dataVersion: z.string(),
    cveMetadata: z.object({ cveId: z.string().regex(/^CVE-\d{4}-\d{4,}$/), datePublished: z.string().optional() }).loose(),
    containers: z.object({
      cna: z
        .object({
          title: z.string().optional(),
          descriptions: z.array(z.object({ lang: z.string(), value: z.string() }).loose()).default([]),
          affected: z.array(
            z
              .object({
                vendor: z.string().optional(),
                product: z.string().optional(),
                versions: z.array(versionEntry).default([]),
                defaultStatus: z.string().optional(),
              })
              .loose(),
          ),
          metrics: z.array(metric).optional(),
          references: z.array(z.object({ url: z.string() }).loose()).default([]),
        })
        .loose(),
    }).loose(),
  })
  .loose();
export type CveRecord = z.infer<typeof cveRecordSchema>;

export const bundleSchema = z.object({
  format: z.literal('mqtt-warden-advisories'),
  formatVersion: z.literal(1),
  /** Day the records were taken (YYYY-MM-DD). */
  snapshot: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sources: z.array(z.string()).default([]),
  records: z.array(cveRecordSchema),
});
export type AdvisoryBundle = z.infer<typeof bundleSchema>;

/** One advisory as the checks use it. */
export interface Advisory {
  id: string;
  product: Product;
  severity: Severity;
  title: string;
  /** Affected ranges; a version in any of them is affected. */
  ranges: VersionRange[];
  published?: string;
  references: string[];
}

export interface AdvisoryDb {
  snapshot: string;
  /** Where it was loaded from. */
  file: string;
  advisories: Advisory[];
}

export function productOf(vendor = '', product = ''): Product | undefined {
  const p = `${vendor} ${product}`.toLowerCase();
  if (/\bopenssl\b/.test(p)) return 'openssl';
  if (/mosquitto/.test(p)) return 'mosquitto';
  if (/\bemq ?x\b/.test(p)) return 'emqx';
  return undefined;
}

function severityOf(r: CveRecord): Severity {
  for (const m of r.containers.cna.metrics ?? []) {
    const text = (m.cvssV4_0?.baseSeverity ?? m.cvssV3_1?.baseSeverity ?? m.cvssV3_0?.baseSeverity ?? textOf(m.other?.content))?.toLowerCase();
    if (text === 'critical' || text === 'high' || text === 'medium' || text === 'low') return text;
    if (text === 'moderate') return 'medium';
  }
  return 'medium';
}

function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (content && typeof content === 'object' && 'text' in content && typeof content.text === 'string') return content.text;
  return undefined;
}

/** Advisories of the products mqtt-warden knows, from CVE records; records of other products are dropped. */
export function advisoriesFrom(records: readonly CveRecord[]): Advisory[] {
  const out: Advisory[] = [];
  for (const r of records) {
    const cna = r.containers.cna;
    const byProduct = new Map<Product, VersionRange[]>();
    for (const a of cna.affected) {
      const product = productOf(a.vendor, a.product);
      if (!product) continue;
      for (const v of a.versions) {
        if (v.status !== 'affected' || !parseVersion(v.version) && v.version !== '0') continue;
        const range: VersionRange = {
          ...(v.version !== '0' && { introduced: v.version }),
          ...(v.lessThan && parseVersion(v.lessThan) && { lessThan: v.lessThan }),
          ...(v.lessThanOrEqual && parseVersion(v.lessThanOrEqual) && { lessThanOrEqual: v.lessThanOrEqual }),
        };
        // A single affected version without bounds is that version alone.
        if (!v.lessThan && !v.lessThanOrEqual) range.lessThanOrEqual = v.version;
        byProduct.set(product, [...(byProduct.get(product) ?? []), range]);
      }
    }
    const description = cna.descriptions.find((d) => d.lang.startsWith('en'))?.value ?? cna.descriptions[0]?.value ?? '';
    for (const [product, ranges] of byProduct) {
      out.push({
        id: r.cveMetadata.cveId,
        product,
        severity: severityOf(r),
        title: cna.title ?? description.split(/(?<=\.)\s/)[0]!.slice(0, 160),
        ranges,
        ...(r.cveMetadata.datePublished && { published: r.cveMetadata.datePublished.slice(0, 10) }),
        references: cna.references.map((x) => x.url),
      });
    }
  }
  return out.sort((a, b) => a.product.localeCompare(b.product) || a.id.localeCompare(b.id));
}

/** The first-fixed versions of an advisory (the upper bounds of its ranges). */
export function fixedVersions(a: Advisory): string[] {
  return a.ranges.flatMap((r) => (r.lessThan ? [r.lessThan] : []));
}

/** Parse a file for `advisories update`: a bundle, one CVE record, or a JSON array of records. */
export function parseAdvisoryInput(text: string, name: string): { records: CveRecord[]; snapshot?: string; sources: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name}: not JSON: ${(e as Error).message}`);
  }
  const issue = (err: z.ZodError) => {
    const i = err.issues[0]!;
    return `${name}: ${i.path.join('.') || '(top)'}: ${i.message}`;
  };
  if (json && typeof json === 'object' && !Array.isArray(json) && 'format' in json) {
    const b = bundleSchema.safeParse(json);
    if (!b.success) throw new Error(issue(b.error));
    return { records: b.data.records, snapshot: b.data.snapshot, sources: b.data.sources };
  }
  if (!Array.isArray(json)) {
    const one = cveRecordSchema.safeParse(json);
    if (!one.success) throw new Error(issue(one.error));
    return { records: [one.data], sources: [name] };
  }
  const list = z.array(cveRecordSchema).safeParse(json);
  if (!list.success) throw new Error(issue(list.error));
  return { records: list.data, sources: [name] };
}

/** The shipped snapshot (data/advisories.json, next to dist/ and src/). */
export const SHIPPED_DB = fileURLToPath(new URL('../../data/advisories.json', import.meta.url));


export function loadBundle(file: string): AdvisoryBundle {
  const text = readTextFile(file, 'advisories', { label: 'advisory database' });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`advisory database ${file}: not JSON: ${(e as Error).message}`);
  }
  const b = bundleSchema.safeParse(json);
  if (!b.success) {
    const i = b.error.issues[0]!;
    throw new Error(`advisory database ${file}: ${i.path.join('.') || '(top)'}: ${i.message}`);
  }
  return b.data;
}

/** Load the user's updated database when there is one, else the shipped snapshot. */
export function loadAdvisoryDb(file?: string): AdvisoryDb {
  let chosen = file;
  if (!chosen) {
    const user = userDbPath();
    chosen = isRegularFile(user) ? user : SHIPPED_DB;
  }
  const b = loadBundle(chosen);
  return { snapshot: b.snapshot, file: chosen, advisories: advisoriesFrom(b.records) };
}

/** Merge records into a bundle: a record replaces the one with the same CVE ID. */
export function mergeBundle(base: AdvisoryBundle, records: readonly CveRecord[], snapshot: string, sources: readonly string[]): AdvisoryBundle {
  const byId = new Map(base.records.map((r) => [r.cveMetadata.cveId, r]));
  for (const r of records) byId.set(r.cveMetadata.cveId, r);
  return {
    format: 'mqtt-warden-advisories',
    formatVersion: 1,
    snapshot: snapshot > base.snapshot ? snapshot : base.snapshot,
    sources: [...new Set([...base.sources, ...sources])],
    records: [...byId.values()].sort((a, b) => a.cveMetadata.cveId.localeCompare(b.cveMetadata.cveId)),
  };
}
