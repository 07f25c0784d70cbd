/**
 * The owner marks of mqtt-warden's firewall objects: each part writes its mark
 * into what it creates (nft table comments, iptables rule comments) and
 * touches only objects carrying its own mark. Pure constants, so renderers can
 * use them without loading the command runner.
 */
export const OWNER_MARK = { ports: 'mqtt-warden ports', guard: 'mqtt-warden guard' } as const;
export type Part = keyof typeof OWNER_MARK;

/** The guard's input chain runs at this priority: before the port plan (filter, 0), so a ban is decided before the plan accepts. */
export const GUARD_PRIORITY = -10;
