/**
 * Mosquitto dynamic-security plugin config (`plugin_opt_config_file`, usually
 * dynamic-security.json) with a JSON pointer and a line:column on every element.
 *
 * The JSON itself is parsed by jsonc-parser (Microsoft's maintained scanner/parser,
 * `parseTree` gives offsets for every node) in strict mode: no comments, no trailing
 * commas, as the plugin's cJSON reads it. What this module adds is the plugin's reading
 * of the tree (plugins/dynamic-security/*.c of Mosquitto 2.0/2.1, HARDENING-FACTS §7):
 * - keys are looked up as cJSON_GetObjectItem does: case-insensitively, first match wins;
 * - defaults: a missing `defaultACLAccess` key is false, `allowwildcardsubs` true, an ACL's
 *   `priority` 0 and `allow` false, a role reference's `priority` -1;
 * - a role, client or group without a name is skipped, a second one with the same name is
 *   skipped (the first wins), an ACL with an unknown `acltype` or an empty topic is skipped,
 *   and a second ACL of one type on the same topic in one role is skipped;
 * - `acltype` is compared case-insensitively.
 * Everything skipped is an issue at its place. A file that is not valid JSON is not loaded
 * by the plugin at all (Mosquitto 2.0.11 logs the error and runs with no clients or roles):
 * its issues are located syntax errors and the model is empty (`loaded: false`).
 *
 * Bounded: nesting deeper than MAX_DEPTH or more than MAX_VALUES JSON values are refused
 * before the tree is built (jsonc-parser's parser recurses), so hostile input is a located
 * issue, never a stack overflow or an out-of-memory.
 */
import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { ConfigIssue, SourceLoc } from './io.js';
import type { ReferencedFile } from './bundle.js';

/** A place in the file: line/column for people, the JSON pointer (RFC 6901) for tools. */
export interface DynsecLoc extends SourceLoc {
  pointer: string;
}

export const DYNSEC_ACL_TYPES = ['publishClientSend', 'publishClientReceive', 'subscribeLiteral', 'subscribePattern', 'unsubscribeLiteral', 'unsubscribePattern'] as const;
export type DynsecAclType = (typeof DYNSEC_ACL_TYPES)[number];

export const DYNSEC_DEFAULT_ACCESS = ['publishClientSend', 'publishClientReceive', 'subscribe', 'unsubscribe'] as const;
export type DynsecDefaultAccessKey = (typeof DYNSEC_DEFAULT_ACCESS)[number];

/** One `defaultACLAccess` entry: its effective value and whether the file sets it. */
export interface DynsecFlag {
  value: boolean;
  /** false: the key is missing (or not a boolean) and the plugin's default applies. */
  set: boolean;
  at: DynsecLoc;
}

export interface DynsecAcl {
  acltype: DynsecAclType;
  topic: string;
  /** Default 0. */
  priority: number;
  /** Default false. */
  allow: boolean;
  at: DynsecLoc;
}

export interface DynsecRole {
  rolename: string;
  textname?: string;
  textdescription?: string;
  /** Default true: clients of the role may subscribe with wildcards (as far as the ACLs let them). */
  allowwildcardsubs: boolean;
  acls: DynsecAcl[];
  at: DynsecLoc;
}

/** A role as a client or group holds it. */
export interface DynsecRoleRef {
  rolename: string;
  /** Default -1. */
  priority: number;
  at: DynsecLoc;
}

/** What a client's stored password is, without the hash itself. */
export type DynsecPassword =
  /** `$7$iterations$salt$hash` (PBKDF2-SHA512): in `encoded_password`, or the 2.0 fields `password` + `salt` + `iterations`. */
  | { scheme: 'pbkdf2'; iterations: number; legacy: boolean }
  | { scheme: 'argon2id' }
  /** A value the plugin cannot use: the client cannot log in with a password. */
  | { scheme: 'invalid'; why: string }
  | { scheme: 'none' };

export interface DynsecClient {
  username: string;
  clientid?: string;
  textname?: string;
  textdescription?: string;
  /** Default false. */
  disabled: boolean;
  roles: DynsecRoleRef[];
  /** The JSON fields as written (hashes, never plain passwords: the plugin stores none). */
  encoded_password?: string;
  password?: string;
  salt?: string;
  iterations?: number;
  /** What `encoded_password` (or the legacy fields) amount to. */
  credential: DynsecPassword;
  at: DynsecLoc;
}

export interface DynsecGroupClient {
  username: string;
  priority: number;
  at: DynsecLoc;
}

export interface DynsecGroup {
  groupname: string;
  textname?: string;
  textdescription?: string;
  roles: DynsecRoleRef[];
  clients: DynsecGroupClient[];
  at: DynsecLoc;
}

export interface DynsecConfig {
  file: string;
  /** false: not valid JSON (or refused by a limit): the plugin does not load it, and the lists are empty. */
  loaded: boolean;
  defaultACLAccess: Record<DynsecDefaultAccessKey, DynsecFlag>;
  roles: DynsecRole[];
  clients: DynsecClient[];
  groups: DynsecGroup[];
  anonymousGroup?: { groupname: string; at: DynsecLoc };
  issues: ConfigIssue[];
}

/** A dynamic-security file: given to lint, or named by a mosquitto.conf's plugin_opt_config_file (ref). */
export interface DynsecFile extends ReferencedFile<DynsecConfig> {
  /**
   * `<config file>.pw` next to it: the plugin writes the generated passwords of admin and
   * democlient there in plain text at first start. Only the user names are kept.
   */
  generatedPasswords?: { path: string; users: string[]; mode?: number };
}

export interface ConfigDynsecFact {
  files: DynsecFile[];
}

/** Deeper than any dynamic-security file (root → clients → client → roles → role = 4). */
const MAX_DEPTH = 64;
/** JSON values accepted in one file: about 20 per client, so room for 100,000 clients. */
const MAX_VALUES = 2_000_000;

/** Offsets → 1-based line and column. */
function locator(text: string, file: string): (offset: number, pointer: string) => DynsecLoc {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset, pointer) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, column: offset - starts[lo]! + 1, pointer };
  };
}

const escapePointer = (s: string | number) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');

/** Refuse what would make the recursive parser or the tree too large: the first place over a limit, or undefined. */
function overLimits(text: string): { offset: number; message: string } | undefined {
  const sc = createScanner(text, true);
  let depth = 0;
  let values = 0;
  for (let k = sc.scan(); k !== SyntaxKind.EOF; k = sc.scan()) {
    if (k === SyntaxKind.OpenBraceToken || k === SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_DEPTH) return { offset: sc.getTokenOffset(), message: `JSON nested deeper than ${MAX_DEPTH} levels: not parsed` };
    } else if (k === SyntaxKind.CloseBraceToken || k === SyntaxKind.CloseBracketToken) depth--;
    if (k === SyntaxKind.OpenBraceToken || k === SyntaxKind.OpenBracketToken || k === SyntaxKind.StringLiteral || k === SyntaxKind.NumericLiteral || k === SyntaxKind.TrueKeyword || k === SyntaxKind.FalseKeyword || k === SyntaxKind.NullKeyword) {
      if (++values > MAX_VALUES) return { offset: sc.getTokenOffset(), message: `more than ${MAX_VALUES} JSON values: not parsed` };
    }
  }
  return undefined;
}

function emptyConfig(file: string, issues: ConfigIssue[], at: DynsecLoc): DynsecConfig {
  const flag = (value: boolean): DynsecFlag => ({ value, set: false, at });
  return {
    file,
    loaded: false,
    defaultACLAccess: { publishClientSend: flag(false), publishClientReceive: flag(false), subscribe: flag(false), unsubscribe: flag(false) },
    roles: [],
    clients: [],
    groups: [],
    issues,
  };
}

/** Parse a dynamic-security.json. Never throws for bad content: problems are located issues. */
export function parseDynsec(text: string, file: string): DynsecConfig {
  const loc = locator(text, file);
  const issues: ConfigIssue[] = [];
  const issue = (at: SourceLoc, message: string, incomplete = false) => issues.push({ file: at.file, line: at.line, column: at.column, message, ...(incomplete ? { incomplete: true as const } : {}) });
  const top = loc(0, '');
  const limit = overLimits(text);
  if (limit) {
    issue(loc(limit.offset, ''), limit.message, true);
    return emptyConfig(file, issues, top);
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length || !root) {
    for (const e of errors.slice(0, 20)) issue(loc(e.offset, ''), `invalid JSON: ${printParseErrorCode(e.error)} (the plugin refuses the whole file and runs without clients or roles)`, true);
    if (!errors.length) issue(top, 'empty file: not a dynamic-security config', true);
    return emptyConfig(file, issues, top);
  }
  if (root.type !== 'object') {
    issue(top, `expected a JSON object at the top, found ${root.type}`, true);
    return emptyConfig(file, issues, top);
  }

  const at = (n: JsonNode, pointer: string) => loc(n.offset, pointer);
  /** cJSON_GetObjectItem: case-insensitive, first match. */
  const get = (obj: JsonNode, key: string): { node: JsonNode; name: string } | undefined => {
    const k = key.toLowerCase();
    for (const p of obj.children ?? []) {
      const name = p.children?.[0]?.value;
      if (typeof name === 'string' && name.toLowerCase() === k && p.children?.[1]) return { node: p.children[1], name };
    }
    return undefined;
  };
  const ptr = (base: string, key: string | number) => `${base}/${escapePointer(key)}`;
  const str = (obj: JsonNode, key: string): string | undefined => {
    const v = get(obj, key)?.node;
    return v?.type === 'string' ? (v.value as string) : undefined;
  };
  const bool = (obj: JsonNode, key: string, dflt: boolean, base: string): boolean => {
    const v = get(obj, key);
    if (!v) return dflt;
    if (v.node.type !== 'boolean') {
      issue(at(v.node, ptr(base, v.name)), `"${v.name}" is not true or false: the plugin uses its default (${dflt})`);
      return dflt;
    }
    return v.node.value as boolean;
  };
  const int = (obj: JsonNode, key: string, dflt: number, base: string): number => {
    const v = get(obj, key);
    if (!v) return dflt;
    if (v.node.type !== 'number') {
      issue(at(v.node, ptr(base, v.name)), `"${v.name}" is not a number: the plugin uses its default (${dflt})`);
      return dflt;
    }
    return Math.trunc(v.node.value as number);
  };
  /** The array at `key`, its pointer, and the object elements with theirs. */
  const list = (obj: JsonNode, key: string, base: string): { node: JsonNode; pointer: string }[] => {
    const v = get(obj, key);
    if (!v) return [];
    const p = ptr(base, v.name);
    if (v.node.type !== 'array') {
      issue(at(v.node, p), `"${v.name}" is not an array: the plugin refuses the file`, true);
      return [];
    }
    const out: { node: JsonNode; pointer: string }[] = [];
    (v.node.children ?? []).forEach((n, i) => {
      if (n.type === 'object') out.push({ node: n, pointer: ptr(p, i) });
      else issue(at(n, ptr(p, i)), `expected an object, found ${n.type}: skipped`);
    });
    return out;
  };
  /** The entries of a top-level list that the plugin loads: those with a name, the first of each name. */
  const named = (key: 'roles' | 'clients' | 'groups', nameKey: 'rolename' | 'username' | 'groupname', what: string): { node: JsonNode; pointer: string; name: string }[] => {
    const seen = new Set<string>();
    return list(root, key, '').flatMap(({ node, pointer }) => {
      const name = str(node, nameKey);
      if (!name) {
        issue(at(node, pointer), `${what} without a "${nameKey}": the plugin skips it`);
        return [];
      }
      if (seen.has(name)) {
        issue(at(node, pointer), `${what} "${name}" is defined again: the plugin keeps the first`);
        return [];
      }
      seen.add(name);
      return [{ node, pointer, name }];
    });
  };
  const optText = (obj: JsonNode, key: 'textname' | 'textdescription') => {
    const s = str(obj, key);
    return s === undefined ? {} : { [key]: s };
  };
  const roleRefs = (obj: JsonNode, base: string): DynsecRoleRef[] =>
    list(obj, 'roles', base).flatMap(({ node, pointer }) => {
      const rolename = str(node, 'rolename');
      if (!rolename) {
        issue(at(node, pointer), 'role reference without a "rolename": skipped');
        return [];
      }
      return [{ rolename, priority: int(node, 'priority', -1, pointer), at: at(node, pointer) }];
    });

  // defaultACLAccess
  const daa = get(root, 'defaultACLAccess');
  const daaBase = daa ? ptr('', daa.name) : '';
  if (daa && daa.node.type !== 'object') issue(at(daa.node, daaBase), '"defaultACLAccess" is not an object: every default is false');
  const defaultACLAccess = Object.fromEntries(
    DYNSEC_DEFAULT_ACCESS.map((k) => {
      const v = daa?.node.type === 'object' ? get(daa.node, k) : undefined;
      const where = v ? at(v.node, ptr(daaBase, v.name)) : daa ? at(daa.node, daaBase) : top;
      const set = v?.node.type === 'boolean';
      if (v && !set) issue(where, `"${v.name}" is not true or false: false applies`);
      return [k, { value: set ? (v!.node.value as boolean) : false, set, at: where }];
    }),
  ) as Record<DynsecDefaultAccessKey, DynsecFlag>;

  // roles
  const roles: DynsecRole[] = [];
  for (const { node, pointer, name: rolename } of named('roles', 'rolename', 'role')) {
    const acls: DynsecAcl[] = [];
    const seen = new Set<string>();
    for (const a of list(node, 'acls', pointer)) {
      const raw = str(a.node, 'acltype');
      const acltype = DYNSEC_ACL_TYPES.find((t) => t.toLowerCase() === raw?.toLowerCase());
      const topic = str(a.node, 'topic');
      if (!acltype) {
        issue(at(a.node, a.pointer), raw === undefined ? 'ACL without an "acltype": skipped' : `unknown acltype "${raw}": the plugin ignores this ACL`);
        continue;
      }
      if (!topic) {
        issue(at(a.node, a.pointer), 'ACL without a topic: the plugin ignores it');
        continue;
      }
      if (seen.has(`${acltype}\0${topic}`)) {
        issue(at(a.node, a.pointer), `second ${acltype} ACL on "${topic}" in role "${rolename}": the plugin keeps the first`);
        continue;
      }
      seen.add(`${acltype}\0${topic}`);
      acls.push({ acltype, topic, priority: int(a.node, 'priority', 0, a.pointer), allow: bool(a.node, 'allow', false, a.pointer), at: at(a.node, a.pointer) });
    }
    roles.push({ rolename, ...optText(node, 'textname'), ...optText(node, 'textdescription'), allowwildcardsubs: bool(node, 'allowwildcardsubs', true, pointer), acls, at: at(node, pointer) });
  }

  // clients
  const clients: DynsecClient[] = [];
  for (const { node, pointer, name: username } of named('clients', 'username', 'client')) {
    const encoded = str(node, 'encoded_password');
    const legacyHash = str(node, 'password');
    const salt = str(node, 'salt');
    const itersNode = get(node, 'iterations')?.node;
    const iterations = itersNode?.type === 'number' ? Math.trunc(itersNode.value as number) : undefined;
    let credential: DynsecPassword;
    if (encoded !== undefined) {
      const m = /^\$7\$(\d+)\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/.exec(encoded);
      if (m && Number(m[1]) > 0) credential = { scheme: 'pbkdf2', iterations: Number(m[1]), legacy: false };
      else if (encoded.startsWith('$argon2id$')) credential = { scheme: 'argon2id' };
      else credential = { scheme: 'invalid', why: 'encoded_password is neither $7$ (PBKDF2-SHA512) nor $argon2id$' };
    } else if (legacyHash !== undefined || salt !== undefined || iterations !== undefined) {
      credential =
        legacyHash && salt && iterations && iterations > 0
          ? { scheme: 'pbkdf2', iterations, legacy: true }
          : { scheme: 'invalid', why: 'the legacy password fields need "password", "salt" and "iterations" > 0' };
    } else credential = { scheme: 'none' };
    const clientid = str(node, 'clientid');
    clients.push({
      username,
      ...(clientid !== undefined ? { clientid } : {}),
      ...optText(node, 'textname'),
      ...optText(node, 'textdescription'),
      disabled: bool(node, 'disabled', false, pointer),
      roles: roleRefs(node, pointer),
      ...(encoded !== undefined ? { encoded_password: encoded } : {}),
      ...(legacyHash !== undefined ? { password: legacyHash } : {}),
      ...(salt !== undefined ? { salt } : {}),
      ...(iterations !== undefined ? { iterations } : {}),
      credential,
      at: at(node, pointer),
    });
  }

  // groups
  const groups: DynsecGroup[] = [];
  for (const { node, pointer, name: groupname } of named('groups', 'groupname', 'group')) {
    const members = list(node, 'clients', pointer).flatMap(({ node: c, pointer: p }) => {
      const username = str(c, 'username');
      return username ? [{ username, priority: int(c, 'priority', -1, p), at: at(c, p) }] : [];
    });
    groups.push({ groupname, ...optText(node, 'textname'), ...optText(node, 'textdescription'), roles: roleRefs(node, pointer), clients: members, at: at(node, pointer) });
  }

  const anon = get(root, 'anonymousGroup');
  const anonymousGroup = anon?.node.type === 'string' ? { groupname: anon.node.value as string, at: at(anon.node, ptr('', anon.name)) } : undefined;
  if (anon && !anonymousGroup) issue(at(anon.node, ptr('', anon.name)), '"anonymousGroup" is not a string: ignored');

  // References to roles that do not exist grant nothing (the plugin drops them).
  const roleNames = new Set(roles.map((r) => r.rolename));
  for (const holder of [...clients.map((c) => ({ what: `client "${c.username}"`, refs: c.roles })), ...groups.map((g) => ({ what: `group "${g.groupname}"`, refs: g.roles }))]) {
    for (const r of holder.refs) if (!roleNames.has(r.rolename)) issue(r.at, `${holder.what} names role "${r.rolename}", which is not defined: it grants nothing`);
  }
  return { file, loaded: true, defaultACLAccess, roles, clients, groups, ...(anonymousGroup ? { anonymousGroup } : {}), issues };
}

/** Content that is a dynamic-security config: a JSON object with its top-level keys. */
export function looksLikeDynsec(text: string): boolean {
  const head = text.slice(0, 64 * 1024);
  if (!/^\s*\{/.test(head)) return false;
  return /"defaultACLAccess"\s*:/i.test(head) || (/"roles"\s*:/.test(head) && /"(clients|groups)"\s*:/.test(head) && /"(rolename|username|groupname|acltype)"\s*:/.test(head));
}

/** The user names of a generated `<config>.pw` file ("user password" per line): the passwords are never kept. */
export function generatedPasswordUsers(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean)
    .slice(0, 1000);
}

// ---- judging helpers shared by the dynamic-security checks (pure) ----

/** The roles a client holds: its own and those of its groups (undefined roles left out). */
export function clientRoles(cfg: DynsecConfig, c: DynsecClient): DynsecRole[] {
  const byName = new Map(cfg.roles.map((r) => [r.rolename, r]));
  const names = [...c.roles.map((r) => r.rolename), ...cfg.groups.filter((g) => g.clients.some((m) => m.username === c.username)).flatMap((g) => g.roles.map((r) => r.rolename))];
  return [...new Set(names)].flatMap((n) => (byName.has(n) ? [byName.get(n)!] : []));
}

/** The roles of the anonymous group (clients without a username, when the listener allows them). */
export function anonymousRoles(cfg: DynsecConfig): DynsecRole[] {
  const g = cfg.anonymousGroup && cfg.groups.find((x) => x.groupname === cfg.anonymousGroup!.groupname);
  const byName = new Map(cfg.roles.map((r) => [r.rolename, r]));
  return (g?.roles ?? []).flatMap((r) => (byName.has(r.rolename) ? [byName.get(r.rolename)!] : []));
}

/** A filter an ACL topic covers entirely: `#` covers everything, `$CONTROL/#` covers `$CONTROL/dynamic-security/#`. */
export function topicCovers(aclTopic: string, filter: string): boolean {
  const a = aclTopic.split('/');
  const f = filter.split('/');
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '#') return i > 0 || !(f[0] ?? '').startsWith('$');
    if (i >= f.length) return false;
    if (a[i] === '+') {
      if (f[i] === '#' || (i === 0 && f[0]!.startsWith('$'))) return false;
      continue;
    }
    if (a[i] !== f[i]) return false;
  }
  return a.length === f.length;
}

/** The role grants (allow) some access on a topic filter covering `filter`. */
export function roleGrants(role: DynsecRole, filter: string): DynsecAcl[] {
  return role.acls.filter((a) => a.allow && topicCovers(a.topic, filter));
}

/** An administrator: holds a role that may publish to `$CONTROL/dynamic-security/#` (the plugin's control topic). */
export function isDynsecAdmin(cfg: DynsecConfig, c: DynsecClient): boolean {
  return clientRoles(cfg, c).some((r) => r.acls.some((a) => a.allow && a.acltype === 'publishClientSend' && topicCovers(a.topic, '$CONTROL/dynamic-security/#')));
}

/** Where a finding about a dynamic-security element points (the pointer goes in the message or the key). */
export const dynsecAt = (l: DynsecLoc) => ({ file: l.file, line: l.line, column: l.column });
