/**
 * Reads dynamic-security.json into the evaluator's input (src/acl/dynsec.ts). A stop-gap reader
 * for `acl` until the project's dynamic-security parser is merged: it keeps only the fields the
 * evaluator needs, checks their types, and keeps the place (file:line) of each role and ACL.
 */
import { parseLocatedYaml } from '../config/located-yaml.js';
import type { DynsecInput } from './dynsec.js';

export class DynsecInputError extends Error {}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseDynsecInput(text: string, file: string): DynsecInput {
  // The YAML parser reads JSON too, and keeps the place of every value.
  const { yaml, issues } = parseLocatedYaml(text, file);
  if (!yaml) throw new DynsecInputError(`${issues[0]!.file}:${issues[0]!.line}:${issues[0]!.column}: ${issues[0]!.message}`);
  const doc = yaml.data;
  if (!isObj(doc)) throw new DynsecInputError(`${file}: the top level must be a JSON object`);
  const bad = (what: string) => new DynsecInputError(`${file}: ${what}`);
  const list = (v: unknown, what: string): Record<string, unknown>[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every(isObj)) throw bad(`${what} must be a list of objects`);
    return v;
  };
  const s = (v: unknown, what: string): string => {
    if (typeof v !== 'string') throw bad(`${what} must be a string`);
    return v;
  };
  const optNum = (v: unknown, what: string) => {
    if (v !== undefined && typeof v !== 'number') throw bad(`${what} must be a number`);
    return v as number | undefined;
  };
  const optBool = (v: unknown, what: string) => {
    if (v !== undefined && typeof v !== 'boolean') throw bad(`${what} must be true or false`);
    return v as boolean | undefined;
  };
  const refs = (v: unknown, key: 'rolename' | 'username', what: string) =>
    list(v, what).map((r) => ({ [key]: s(r[key], `${what}[].${key}`), ...(optNum(r.priority, `${what}[].priority`) !== undefined ? { priority: r.priority as number } : {}) }));
  const d = isObj(doc.defaultACLAccess) ? doc.defaultACLAccess : {};
  const defaultACLAccess: DynsecInput['defaultACLAccess'] = {};
  for (const k of ['publishClientSend', 'publishClientReceive', 'subscribe', 'unsubscribe'] as const) {
    const v = optBool(d[k], `defaultACLAccess.${k}`);
    if (v !== undefined) defaultACLAccess[k] = v;
  }
  const roles = list(doc.roles, 'roles').map((r, ri) => {
    const rolename = s(r.rolename, 'roles[].rolename');
    const loc = yaml.place(['roles', ri, 'rolename']);
    const allowwildcardsubs = optBool(r.allowwildcardsubs, `role ${rolename}: allowwildcardsubs`);
    return {
      rolename,
      ...(allowwildcardsubs !== undefined ? { allowwildcardsubs } : {}),
      loc,
      acls: list(r.acls, `role ${rolename}: acls`).map((a, ai) => {
        const l = yaml.place(['roles', ri, 'acls', ai]);
        const priority = optNum(a.priority, `role ${rolename}: acls[].priority`);
        return { acltype: s(a.acltype, `role ${rolename}: acls[].acltype`), topic: s(a.topic, `role ${rolename}: acls[].topic`), ...(priority !== undefined ? { priority } : {}), allow: optBool(a.allow, `role ${rolename}: acls[].allow`) ?? false, loc: l };
      }),
    };
  });
  const clients = list(doc.clients, 'clients').map((c) => {
    const username = s(c.username, 'clients[].username');
    return { username, ...(typeof c.clientid === 'string' && c.clientid ? { clientid: c.clientid } : {}), disabled: optBool(c.disabled, `client ${username}: disabled`) ?? false, roles: refs(c.roles, 'rolename', `client ${username}: roles`) as { rolename: string; priority?: number }[] };
  });
  const groups = list(doc.groups, 'groups').map((g) => {
    const groupname = s(g.groupname, 'groups[].groupname');
    return { groupname, roles: refs(g.roles, 'rolename', `group ${groupname}: roles`) as { rolename: string; priority?: number }[], clients: refs(g.clients, 'username', `group ${groupname}: clients`) as { username: string; priority?: number }[] };
  });
  const anon = doc.anonymousGroup;
  return { file, defaultACLAccess, roles, clients, groups, ...(typeof anon === 'string' && anon ? { anonymousGroup: anon } : {}) };
}
