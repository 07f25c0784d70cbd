/**
 * Evaluators from the config facts (pure: no file access), shared by the `acl` command and the
 * ACL checks: one per Mosquitto acl_file, one for the EMQX file sources of a node.
 */
import type { ConfigEmqxFact, ConfigMosquittoFact, ConfigPasswordsFact } from '../config/bundle.js';
import { DYNSEC_DEFAULT_ACCESS, type ConfigDynsecFact, type DynsecConfig } from '../config/dynsec.js';
import { DynsecEvaluator, type DynsecInput } from './dynsec.js';
import { anonymousAllowed, type MosquittoConfig } from '../config/mosquitto.js';
import { emqxGet, emqxVersionText, emqxWhere } from '../config/emqx.js';
import { hoconGet } from '../config/hocon.js';
import { EmqxAclEvaluator, type EmqxAclOptions } from './emqx.js';
import { MosquittoAclEvaluator, type MosquittoAclOptions } from './mosquitto.js';
import type { Identity } from './model.js';

/** Why a Mosquitto identity cannot connect, from the configs and password files (undefined = it can). */
export function mosquittoGate(configs: readonly MosquittoConfig[], passwords: ConfigPasswordsFact | undefined) {
  const users = new Set((passwords?.mosquitto ?? []).flatMap((f) => f.parsed?.entries.filter((e) => !e.problem).map((e) => e.username) ?? []));
  const readAll = (passwords?.mosquitto ?? []).every((f) => f.parsed);
  return (id: Identity): string | undefined => {
    if (!configs.length) return undefined;
    if (id.username === undefined) {
      const open = configs.some((c) => c.listeners.some((l) => anonymousAllowed(c, l).allowed));
      if (open) return undefined;
      const d = configs.flatMap((c) => c.listeners.map((l) => l.settings.allow_anonymous)).find(Boolean);
      return d ? `allow_anonymous false (${d.file}:${d.line})` : 'allow_anonymous is not set: false by default since Mosquitto 2.0';
    }
    const listeners = configs.flatMap((c) => c.listeners);
    const plugins = listeners.some((l) => l.settings.plugin || l.settings.auth_plugin);
    const pwFiles = listeners.some((l) => l.settings.password_file);
    if (pwFiles && !plugins && readAll && !users.has(id.username)) return `user "${id.username}" is not in the password file`;
    return undefined;
  };
}

/** One evaluator per ACL file that was read. */
export function mosquittoEvaluators(m: ConfigMosquittoFact, passwords?: ConfigPasswordsFact, tamper?: MosquittoAclOptions['tamper']): MosquittoAclEvaluator[] {
  const gate = mosquittoGate(m.configs, passwords);
  const extraUsers = (passwords?.mosquitto ?? []).flatMap((f) => f.parsed?.entries.map((e) => e.username) ?? []);
  return m.aclFiles.flatMap((f) => (f.parsed ? [new MosquittoAclEvaluator(f.parsed, { connectGate: gate, extraUsers, ...(tamper ? { tamper } : {}) })] : []));
}

/** The file sources of the first EMQX node (or the acl.conf files given), with its no_match and other sources. */
export function emqxEvaluator(e: ConfigEmqxFact, opts: Omit<EmqxAclOptions, 'noMatch' | 'otherSources'>): EmqxAclEvaluator | undefined {
  const cfg = e.configs[0];
  const acls = e.aclFiles.flatMap((f) => (f.parsed ? [f.parsed] : []));
  if (!acls.length && !cfg) return undefined;
  let noMatch: EmqxAclOptions['noMatch'];
  const otherSources: string[] = [];
  if (cfg) {
    // The model gives the default of the node's release (5.x allow, 6.x deny) when no_match is not set.
    const v = emqxGet(cfg, 'authorization.no_match');
    if (v && (v.value === 'allow' || v.value === 'deny')) {
      const w = emqxWhere(cfg, v);
      noMatch = { value: v.value, where: v.default ? `default of ${emqxVersionText(cfg.version)}` : (v.env ?? `${w.file}:${w.line}`) };
    }
    const list = hoconGet(cfg.root, 'authorization.sources');
    for (const s of list?.t === 'arr' ? list.items : []) {
      if (s.t !== 'obj') continue;
      const type = s.fields.get('type');
      const enable = s.fields.get('enable');
      if (enable?.t === 'val' && enable.value === false) continue;
      if (type?.t === 'val' && type.value !== 'file') otherSources.push(String(type.value));
    }
  }
  return new EmqxAclEvaluator(acls, { ...opts, ...(noMatch ? { noMatch } : {}), ...(otherSources.length ? { otherSources } : {}) });
}

/** The project's dynamic-security parse (src/config/dynsec.ts) as the evaluator's input: the same field names. */
export function dynsecInput(c: DynsecConfig): DynsecInput {
  return {
    file: c.file,
    defaultACLAccess: Object.fromEntries(DYNSEC_DEFAULT_ACCESS.map((k) => [k, c.defaultACLAccess[k].value])),
    roles: c.roles.map((r) => ({ rolename: r.rolename, allowwildcardsubs: r.allowwildcardsubs, loc: r.at, acls: r.acls.map((a) => ({ acltype: a.acltype, topic: a.topic, priority: a.priority, allow: a.allow, loc: a.at })) })),
    clients: c.clients.map((cl) => ({ username: cl.username, ...(cl.clientid ? { clientid: cl.clientid } : {}), disabled: cl.disabled, roles: cl.roles.map((r) => ({ rolename: r.rolename, priority: r.priority })), loc: cl.at })),
    groups: c.groups.map((g) => ({ groupname: g.groupname, roles: g.roles.map((r) => ({ rolename: r.rolename, priority: r.priority })), clients: g.clients.map((m) => ({ username: m.username, priority: m.priority })), loc: g.at })),
    ...(c.anonymousGroup ? { anonymousGroup: c.anonymousGroup.groupname } : {}),
  };
}

/** One evaluator per dynamic-security file the plugin would load. */
export function dynsecEvaluators(d: ConfigDynsecFact, tamper?: ConstructorParameters<typeof DynsecEvaluator>[1]): DynsecEvaluator[] {
  return d.files.flatMap((f) => (f.parsed?.loaded ? [new DynsecEvaluator(dynsecInput(f.parsed), tamper)] : []));
}
