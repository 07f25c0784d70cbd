/** The port planner's input and output. Pure data: no I/O happens here. */
import type { RpcPortDiscovery } from './rules.js';

/** Who may reach a port. `local`: bound to loopback, nobody from the network. */
export const AUDIENCES = ['peers', 'clients', 'admins', 'any', 'local'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** MQTT and dashboard listeners, and the listeners of EMQX protocol gateways (MQTT-SN, STOMP, CoAP, LwM2M, ExProto) by transport. */
export const LISTENER_TYPES = ['tcp', 'ssl', 'ws', 'wss', 'quic', 'dashboard-http', 'dashboard-https', 'gateway-tcp', 'gateway-ssl', 'gateway-udp', 'gateway-dtls'] as const;
export type ListenerType = (typeof LISTENER_TYPES)[number];

export type PortService =
  | 'erlang-dist'
  | 'cluster-rpc'
  | 'epmd'
  | 'mqtt'
  | 'mqtts'
  | 'mqtt-ws'
  | 'mqtt-wss'
  | 'mqtt-quic'
  | 'dashboard-http'
  | 'dashboard-https'
  | 'gateway'
  | 'ssh';

export interface ListenerInput {
  type: ListenerType;
  port: number;
  /** Listener name, e.g. `default` of `listeners.tcp.default`. */
  name?: string;
  /** Bind address; absent = every interface. */
  bind?: string;
  enabled?: boolean;
  /** Override who may reach it (default: clients for MQTT, admins for the dashboard). */
  audience?: Audience;
  /** Where the listener was defined (file:line), for the plan's `source`. */
  source?: string;
}

export interface NodeInput {
  /** EMQX: the Erlang node name `name@host`. Mosquitto: any label. */
  name: string;
  kind: 'emqx' | 'mosquitto' | 'nanomq';
  /** Addresses the node is reached at; default: the host part of an EMQX node name when it is an IP. */
  addresses?: string[];
  /** Default: the EMQX 5 defaults (tcp 1883, ssl 8883, ws 8083, wss 8084, dashboard http 18083); Mosquitto and NanoMQ: 1883. */
  listeners?: ListenerInput[];
  rpc?: { portDiscovery: RpcPortDiscovery; serverPort?: number };
  /** `cluster.proto_dist` (inet_tcp, inet6_tcp, inet_tls, inet6_tls). */
  protoDist?: string;
  /** EMQX 4.x started with WITH_EPMD=1: epmd on 4369. */
  epmd?: boolean;
  /** Where the node came from (command line, cluster file, config file). */
  source?: string;
}

export interface PlanInput {
  nodes: NodeInput[];
  /** Client networks (CIDR); `['any']` = MQTT open to everyone, as asked; empty = the same by default (with a warning). */
  clients: string[];
  /** Admin networks (CIDR): dashboard and SSH. */
  admins: string[];
  /** Extra cluster peers besides the nodes' own addresses. */
  peers: string[];
  /** SSH port to keep open for admins; false = none. */
  ssh: number | false;
  /** Warnings from reading the input (config file problems), carried into the plan. */
  warnings?: PlanWarning[];
}

export interface PlannedPort {
  port: number;
  proto: 'tcp' | 'udp';
  service: PortService;
  purpose: string;
  audience: Audience;
  bind?: string;
  /** Why this port: the rule or the listener it comes from. */
  source: string;
}

export interface NodePlan {
  name: string;
  kind: 'emqx' | 'mosquitto' | 'nanomq';
  addresses: string[];
  /** Erlang distribution port (EMQX); 0 = outgoing only. */
  distPort?: number;
  ports: PlannedPort[];
}

export type WarningCode =
  | 'plaintext-to-clients'
  | 'port-collision'
  | 'dashboard-to-clients'
  | 'dashboard-plaintext'
  | 'rpc-manual'
  | 'no-admins'
  | 'clients-anywhere'
  | 'outgoing-only'
  | 'no-address'
  | 'epmd'
  | 'config-issue';

export interface PlanWarning {
  code: WarningCode;
  severity: 'info' | 'low' | 'medium' | 'high';
  node?: string;
  port?: number;
  message: string;
}

export interface PortPlan {
  nodes: NodePlan[];
  networks: { peers: string[]; clients: string[]; admins: string[] };
  warnings: PlanWarning[];
}
