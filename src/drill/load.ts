/**
 * Loading drills: a file or a built-in id (drills/<id>.yaml at the package root), parsed with positions,
 * validated by DrillFileSchema and every step's parameters by its inject kind's own schema; every problem
 * comes back at file:line:column.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { z } from 'zod';
import { FileReadError, readTextFile } from '../io/read.js';
import { formatIssues, locateIssues, parseLocatedYaml } from '../config/located-yaml.js';
import type { ConfigIssue } from '../config/io.js';
import { DrillFileSchema, type DrillFile } from './model.js';
import { INJECT_KINDS, injectKind } from './inject/index.js';

/** The built-in drills: drills/ at the package root (beside src/ and dist/). */
export const BUILTIN_DIR = fileURLToPath(new URL('../../drills/', import.meta.url));

export class DrillLoadError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(formatIssues(issues));
    this.name = 'DrillLoadError';
  }
}

export interface LoadedDrill {
  drill: DrillFile;
  /** The file it came from. */
  file: string;
  builtin: boolean;
  /** Every step's parameters, parsed by its kind's schema (defaults filled), by step index. */
  params: Record<string, unknown>[];
}

export function builtinIds(): string[] {
  if (!existsSync(BUILTIN_DIR)) return [];
  return readdirSync(BUILTIN_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Validate drill text; issues at file:line:column (empty when it is valid). */
export function parseDrill(text: string, file: string): { loaded?: Omit<LoadedDrill, 'builtin'>; issues: ConfigIssue[] } {
  const { yaml, issues } = parseLocatedYaml(text, file);
  if (!yaml) return { issues };
  const r = DrillFileSchema.safeParse(yaml.data);
  if (!r.success) return { issues: locateIssues(yaml, r.error) };
  const out: ConfigIssue[] = [];
  const params: Record<string, unknown>[] = [];
  r.data.steps.forEach((step, i) => {
    const kind = injectKind(step.inject.kind);
    if (!kind) {
      out.push({ ...yaml.place(['steps', i, 'inject', 'kind']), message: `steps.${i}.inject.kind: unknown inject kind "${step.inject.kind}" (known: ${INJECT_KINDS.map((k) => k.kind).join(', ')})` });
      return;
    }
    const { kind: _k, ...rest } = step.inject;
    const p = kind.params.safeParse(rest);
    if (!p.success) out.push(...locateIssues(yaml, p.error as z.ZodError, ['steps', i, 'inject']));
    else params[i] = p.data as Record<string, unknown>;
  });
  const names = new Set<string>();
  r.data.steps.forEach((s, i) => {
    if (names.has(s.name)) out.push({ ...yaml.place(['steps', i, 'name']), message: `steps.${i}.name: "${s.name}" is used by an earlier step` });
    names.add(s.name);
  });
  if (out.length) return { issues: out };
  return { loaded: { drill: r.data, file, params }, issues: [] };
}

/** A file path (anything with a slash or a .yaml/.yml/.json ending, or an existing file) or a built-in id. */
export function loadDrill(nameOrFile: string): LoadedDrill {
  const looksLikeFile = /[/\\]|\.(ya?ml|json)$/i.test(nameOrFile) || existsSync(nameOrFile);
  const builtin = !looksLikeFile;
  const file = builtin ? join(BUILTIN_DIR, `${nameOrFile}.yaml`) : nameOrFile;
  if (builtin && !builtinIds().includes(nameOrFile)) {
    throw new DrillLoadError([{ file: nameOrFile, line: 1, column: 1, message: `no built-in drill "${nameOrFile}" (built-in: ${builtinIds().join(', ') || 'none'}); give a path to use a file` }]);
  }
  let text: string;
  try {
    text = readTextFile(file, 'settings', { label: 'drill file' });
  } catch (e) {
    if (e instanceof FileReadError) throw new DrillLoadError([{ file, line: 1, column: 1, message: e.message }]);
    throw e;
  }
  const { loaded, issues } = parseDrill(text, file);
  if (!loaded) throw new DrillLoadError(issues);
  return { ...loaded, builtin };
}
