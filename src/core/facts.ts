/** Value types of the facts collectors produce (see FACT_KEYS in types.ts). */
import type { Endpoint, Fact, FactKey } from './types.js';
import type * as Sys from '../collectors/system/types.js';
import type { ConfigEmqxFact, ConfigMosquittoFact, ConfigPasswordsFact } from '../config/bundle.js';
import type { Policy } from '../config/policy.js';
import type { ConfigDynsecFact } from '../config/dynsec.js';
import type { ConfigNanomqFact } from '../config/nanomq.js';
import type { DrillJournal } from '../drill/model.js';

export type PortService =
  | 'mqtt'
  | 'mqtts'
  | 'mqtt-ws'
  | 'mqtt-wss'
  | 'dashboard-http'
  | 'dashboard-https'
  | 'epmd'
  | 'erlang-dist'
  | 'cluster-rpc'
  | 'other';

export interface PortState {
  port: number;
  service: PortService;
  /** open: TCP handshake completed; closed: refused; filtered: no answer in time; error: other failure. */
  state: 'open' | 'closed' | 'filtered' | 'error';
  detail?: string;
  ms: number;
}

export interface PortScan {
  host: string;
  loopback: boolean;
  ports: PortState[];
}

/**
 * A sub-probe's outcome: tested, or not tested with the reason. `error` marks
 * a sub-probe that was attempted and broke (hostile or failing peer) rather
 * than one that did not apply; checks turn it into ERROR instead of SKIP.
 */
export type Tested<T> = ({ tested: true } & T) | { tested: false; reason: string; error?: true };

export interface ConnackSummary {
  protocolVersion: 4 | 5;
  code: number;
  codeName: string;
  accepted: boolean;
  /**
   * For a refused CONNECT: 'auth' when the code refuses the credentials
   * (3.1.1: 4; MQTT 5: 0x86, 0x8C); 'not-authorized' (3.1.1: 5; MQTT 5: 0x87)
   * when it refuses the client, which Mosquitto also does for a client ID
   * outside `clientid_prefixes`; 'other' for anything else (server busy,
   * banned, identifier rejected, ...), which says nothing about authentication.
   */
  refusal?: 'auth' | 'not-authorized' | 'other';
}

/** The anonymous CONNECT: a CONNACK, or a connection dropped without one (while the identity used got a CONNACK). */
export type AnonymousProbe = { connack: ConnackSummary } | { dropped: string };

export interface SubscriptionResult {
  filter: string;
  granted: boolean;
  /** SUBACK code: granted QoS 0–2, or the failure code (0x80, 0x87, ...). */
  code: number;
  /** PUBLISH packets received for this filter during the window. */
  messages: number;
  /** Distinct topics seen. */
  topics: number;
  /** Messages that arrived with the retain flag (stored messages). */
  retained: number;
  /** Topic names and payloads, only with --show-payloads. */
  samples?: { topic: string; payload: string; retain: boolean }[];
}

export interface WildcardCanary {
  topic: string;
  /** accepted: MQTT 5 PUBACK success; refused: PUBACK >= 0x80; unknown: MQTT 3.1.1 (no reason codes) or no PUBACK. */
  publish: 'accepted' | 'refused' | 'unknown';
  pubackCode?: number;
  /** The canary came back through the `#` subscription. */
  delivered: boolean;
}

/** Effective read access of `#`, derived from SUBACK and the canary (see wildcardAccess). */
export type WildcardAccess =
  | 'refused' // SUBACK failure code
  | 'unrestricted' // the canary on an arbitrary topic came back
  | 'filtered' // the canary was published but not delivered: the ACL applies per message
  | 'unproven'; // granted at SUBACK, canary unusable: cannot tell

export function wildcardAccess(w: SubscriptionResult, c: WildcardCanary): WildcardAccess {
  if (!w.granted) return 'refused';
  if (c.delivered) return 'unrestricted';
  if (c.publish === 'accepted') return 'filtered';
  return 'unproven';
}

export interface BrokerIdentity {
  product: 'mosquitto' | 'emqx' | 'aedes' | 'hivemq' | 'vernemq' | 'nanomq' | 'unknown';
  /** Version string as announced, e.g. "mosquitto version 2.0.11". */
  version?: string;
  /** Where the identity came from. */
  sources: string[];
  /** MQTT 5 CONNACK properties as sent by the broker. */
  connackProperties?: Record<string, unknown>;
}

export interface MqttProbe {
  endpoint: string;
  tls: boolean;
  /** Protocol version used for the probes; v5 false means MQTT 5 was refused and 3.1.1 used. */
  protocol: { v5: boolean; used: 4 | 5 };
  anonymous: AnonymousProbe;
  /**
   * The identity used for the session probes: "anonymous", the username, or
   * the client certificate's subject (with --cert). The anonymous probe never
   * presents a client certificate.
   */
  identity: string;
  /** What the identity is: no credentials, a username (and password), or a client certificate alone. */
  identityKind: 'anonymous' | 'password' | 'certificate';
  /** The identity's username, when it has one. */
  username?: string;
  /** Subject of the client certificate the identity presented (TLS endpoints with --cert/--key). */
  clientCertificate?: string;
  /** Outcome of connecting with the configured credentials (absent when none were given). */
  credentialed?: ConnackSummary;
  /**
   * A CONNECT with a random mqtt-warden-… client ID was accepted: refusals of
   * such IDs ("not authorized") are then about the identity, not the client ID.
   */
  randomClientIdAccepted: boolean;
  session: Tested<{
    wildcard: SubscriptionResult;
    sys: SubscriptionResult;
    /**
     * Some brokers (Mosquitto) grant every SUBACK and apply the ACL per message.
     * The canary tells them apart: a QoS 1 message the identity publishes to a
     * topic outside any normal namespace (or --canary-topic), watched on `#`.
     */
    canary: WildcardCanary;
    windowMs: number;
  }>;
  /** delivered: came back to a $SYS subscriber; refused: reason code >= 0x80 or the broker closed the connection; unobserved: neither. */
  sysWrite: Tested<{ outcome: 'delivered' | 'refused' | 'unobserved'; detail: string }>;
  zeroLengthClientId: Tested<{ accepted: boolean; code: number; codeName: string; assignedClientId?: string }>;
  broker: BrokerIdentity;
}

export interface CredentialGuess {
  /** A random username/password pair was tried first; if it is accepted, guessing means nothing. */
  control: ConnackSummary | { error: string };
  /** Connection attempts made, the control included. */
  attempts: number;
  /** Guesses refused with an authentication code: the only ones that tested a password. */
  refusedAuth: number;
  /** Whether a random client ID is known to be accepted (else "not authorized" may be about the ID). */
  clientIdProven: boolean;
  /** Guesses refused with another code (busy, banned, identifier rejected, ...). */
  refusedOther: number;
  /** Guesses that ended without a CONNACK. */
  errors: number;
  stoppedBy: 'list-exhausted' | 'max-attempts' | 'max-seconds' | 'deadline' | 'refused-connections';
  /** Accepted pairs; the password is redacted unless --show-secrets. */
  accepted: { username: string; password: string; source: 'built-in' | 'wordlist' }[];
}

export interface LoginAttempt {
  n: number;
  /** refused: an authentication refusal; other-code: a refusal code that is neither authentication nor a limit. */
  outcome: 'accepted' | 'refused' | 'banned' | 'throttled-code' | 'other-code' | 'no-connack' | 'connect-failed';
  code?: number;
  codeName?: string;
  /** A refusal as "not authorized" (3.1.1: 5; MQTT 5: 0x87) rather than as bad credentials. */
  notAuthorized?: true;
  detail?: string;
  ms: number;
}

export interface LoginRestriction {
  username: string;
  /** Whether a random client ID is known to be accepted (else "not authorized" may be about the ID). */
  clientIdProven: boolean;
  attempts: LoginAttempt[];
  durationMs: number;
  verdict: 'restricted' | 'unrestricted' | 'no-authentication' | 'inconclusive';
  reason: string;
}

export interface Takeover {
  firstIdentity: string;
  secondIdentity: string;
  firstAnonymous: boolean;
  secondAnonymous: boolean;
  /** The first session was disconnected when the second connected with the same client ID. */
  tookOver: boolean;
  secondAccepted: boolean;
  /** Why the second CONNECT was refused: its identity, its (duplicate) client ID, or something else (busy, banned). */
  secondRefusal?: 'auth' | 'identifier' | 'other';
  detail: string;
}

export interface EndpointProbeSummary {
  endpoint: Endpoint;
  probe: Fact<MqttProbe>;
}

export interface HostEndpoints {
  endpoints: EndpointProbeSummary[];
  /** Standard MQTT ports the port scan found open (1883, 8883, 8083, 8084), whether probed or not. */
  mqttPortsOpen: { port: number; tls: boolean }[];
}

/** The facts of one subject as the engine holds them. */
export type FactMap = { [K in FactKey]?: Fact<FactTypes[K]> };

/** A TCP port that did not give a conversation: refused, no answer in time, or another failure. */
export type PortReach = { state: 'closed' } | { state: 'filtered' } | { state: 'error'; detail: string };

/** epmd's answer to NAMES: the registered nodes and their distribution ports. */
export type EpmdProbe = PortReach | { state: 'epmd'; nodes: { name: string; port: number }[] };

/** `cookie`: the packaged cookie that was accepted, or the ones refused (comma-separated). */
export type CookieTest = { tested: false; reason: string } | { tested: true; accepted: boolean; detail: string; cookie?: string };

/** The first messages of the Erlang distribution handshake on one port. */
export type DistProbe =
  | PortReach
  | {
      state: 'erlang';
      /** recv_status: ok, ok_simultaneous, nok, not_allowed, alive, named:… */
      status: string;
      /** The node's own name from its challenge (absent when it refused before the challenge). */
      node?: string;
      /** Handshake generation the node answered with: 5 ('n') or 6 ('N', OTP 23+). */
      version?: 5 | 6;
      /** Distribution flags of the node (hex). */
      flags?: string;
      cookie: CookieTest;
    };

export interface ErlangExposure {
  host: string;
  epmd: { port: number; result: EpmdProbe };
  /** Distribution ports probed: EMQX's usual ones, those epmd named, those of a port plan. */
  dist: { port: number; source: 'default' | 'epmd' | 'plan'; result: DistProbe }[];
  /** Whether the default cookie was tried (--intrusive). */
  cookieTested: boolean;
}

export interface PortCheckSocket {
  proto: 'tcp' | 'udp';
  family: 4 | 6;
  address: string;
  port: number;
  wildcard: boolean;
  loopback: boolean;
  /** Owning processes as "name[pid]" (live host, as root). */
  processes: string[];
}

export interface PortCheckPlanned {
  port: number;
  proto: 'tcp' | 'udp';
  service: string;
  /** peers, clients, admins, any, local */
  audience: string;
  nodes: string[];
}

export interface PortCheck {
  /** Where the plan came from (file or command line). */
  source: string;
  /** The planned nodes on this host. */
  nodes: string[];
  planned: PortCheckPlanned[];
  /** The networks the plan opens each audience's ports to (canonical addresses/CIDRs; no client network: anyone). */
  networks: { peers: string[]; clients: string[]; admins: string[] };
  sockets: PortCheckSocket[];
  /** /proc tables that could not be read. */
  socketProblems: string[];
  /** The live nftables table against the rendering of the plan. */
  firewall: Tested<{ table: string; state: 'equal' | 'differs' | 'absent'; diff?: string }>;
}

export interface FactTypes {
  'net.ports': PortScan;
  'mqtt.endpoints': HostEndpoints;
  'mqtt.probe': MqttProbe;
  'mqtt.credentials': CredentialGuess;
  'mqtt.loginRestriction': LoginRestriction;
  'mqtt.takeover': Takeover;
  'tls.protocols': TlsProtocols;
  'tls.ciphers': TlsCipherScan;
  'tls.certificate': TlsCertificate;
  'tls.revocation': TlsRevocation;
  'tls.clientAuth': TlsClientAuth;
  'sys.updates': Sys.UpdateStatus;
  'sys.reboot': Sys.RebootStatus;
  'sys.software': Sys.SoftwareInventory;
  'sys.keys': Sys.KeyMaterial;
  'sys.brokers': Sys.BrokerSetup;
  'sys.listeners': Sys.Listeners;
  'sys.firewall': Sys.FirewallState;
  'sys.mac': Sys.MacState;
  'sys.disk': Sys.DiskState;
  'sys.logging': Sys.LoggingState;
  'sys.hardening': Sys.HardeningTools;
  'sys.ssh': Sys.SshState;
  'sys.accounts': Sys.AccountsState;
  'config.mosquitto': ConfigMosquittoFact;
  'config.emqx': ConfigEmqxFact;
  'config.passwords': ConfigPasswordsFact;
  'config.dynsec': ConfigDynsecFact;
  'config.nanomq': ConfigNanomqFact;
  policy: Policy;
  'erlang.exposure': ErlangExposure;
  'ports.check': PortCheck;
  'mgmt.http': ManagementProbes;
  'drill.journal': DrillJournal;
  'drill.history': DrillHistory;
}

/** The drill runs of this machine's history database (`drill run --history`), newest first. */
export interface DrillHistory {
  /** The database read. */
  db: string;
  /** When it was read (ISO 8601): the judge's "now", so that the judge stays pure. */
  readAt: string;
  runs: {
    drill: string;
    /** The broker, without the drill fragment. */
    target: string;
    startedAt: string;
    /** No FAIL and no ERROR among its verdicts, and at least one PASS: the defences reacted as expected. */
    held: boolean;
    /** Verdicts that could not be verified (SKIP): a held run with these proved less than it could. */
    unverified: number;
  }[];
}

// ---- Management HTTP interfaces (collected per host by src/collectors/mgmt/) ----

export type ManagementProduct = 'emqx' | 'mosquitto' | 'nanomq';

/** The certificate an HTTPS management interface served (recorded, not trusted). */
export interface MgmtCertificate {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  selfSigned: boolean;
  /** Whether it verified against the system trust store. */
  authorized: boolean;
  authorizationError?: string;
  /**
   * The chain as served, leaf first, read from the handshake of the probe's first HTTPS answer
   * (describeCertificate, as the TLS checks read it); absent when it could not be parsed.
   */
  chain?: TlsCertInfo[];
  /** When the handshake was made (ISO 8601): judges compute validity from it, never from the clock. */
  seenAt?: string;
  /** Days before expiry at which to warn (--expiry-warn-days, else the policy's tls.expiryWarningDays). */
  warnDays?: number[];
  /** Why the chain could not be read. */
  chainError?: string;
}

/** One request the probe made, and what came back (never a credential or a token). */
export interface MgmtRequestLog {
  method: 'GET' | 'POST';
  path: string;
  /** Whether the request carried credentials (only the one --intrusive login). */
  credentials: boolean;
  status?: number;
  /** Why there is no status: refused, timeout, not HTTP, TLS failure. */
  error?: string;
  bytes?: number;
  truncated?: true;
  ms: number;
}

/** A fact an unauthenticated request revealed. */
export interface MgmtDisclosure {
  path: string;
  /** version, node-name, listeners, api-description, dashboard-ui, metrics */
  kind: 'version' | 'node-name' | 'listeners' | 'api-description' | 'dashboard-ui' | 'metrics';
  value: string;
}

export interface MgmtLogin {
  username: string;
  /** Where the attempt went, e.g. POST /api/v5/login. */
  request: string;
  /**
   * accepted: the default password logs in; refused: wrong credentials; blocked: the
   * password is still the default but the server refuses it (EMQX hardened profile);
   * locked: the account is locked; disabled: password login is off; mfa: a second factor
   * is demanded before the password is judged (EMQX answers so whatever the password);
   * error: no usable answer.
   */
  outcome: 'accepted' | 'refused' | 'blocked' | 'locked' | 'disabled' | 'mfa' | 'error';
  status?: number;
  detail: string;
}

/** Why a port was probed. */
export interface MgmtPortSource {
  /**
   * default: a product's default port; scan: open in the port scan (--ports); config: a listener of a config;
   * socket: a TCP port a broker process of this machine listens on (sys.listeners), not one of its MQTT or Erlang ports.
   */
  kind: 'default' | 'scan' | 'config' | 'socket';
  /** The product whose interface is expected there (none for a scanned port). */
  product?: ManagementProduct;
  /** For a configured port: file:line of the directive. */
  where?: string;
  /** For a socket: the owning process (its /proc comm) and id. */
  process?: string;
  pid?: number;
}

export interface MgmtInterface {
  port: number;
  sources: MgmtPortSource[];
  /**
   * closed: refused; filtered: no TCP answer in time; other: the port answers, but neither
   * HTTP nor HTTPS; error: the exchange broke (timeout in the middle, reset); http/https: answered.
   */
  reach: 'closed' | 'filtered' | 'other' | 'error' | 'http' | 'https';
  detail?: string;
  /** The interface identified from its answers (absent: HTTP, but none of the three). */
  product?: ManagementProduct;
  version?: string;
  certificate?: MgmtCertificate;
  /** What unauthenticated requests revealed. */
  disclosures: MgmtDisclosure[];
  /** API requests without credentials: refused (401/403) or answered with data. */
  auth: 'required' | 'not-required' | 'unknown';
  /** The API path that answered with data without credentials. */
  openApiPath?: string;
  /** The one default-credential login (--intrusive), or why none was made. */
  login: Tested<MgmtLogin>;
  requests: MgmtRequestLog[];
  /** A hostile or broken peer: answers that were cut, garbage, redirects. */
  anomalies: string[];
}

export interface ManagementProbes {
  host: string;
  loopback: boolean;
  intrusive: boolean;
  interfaces: MgmtInterface[];
  /** Configs that could not be read for configured ports (the defaults were still probed). */
  configProblems: string[];
  /** Why this machine's listening sockets added no port, or added fewer than they could (not mapped to processes...). */
  socketNotes?: string[];
}

// ---- TLS (collected for mqtts:// and wss:// endpoints by src/collectors/tls) ----

export type TlsVersion = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface TlsProtocolProbe {
  version: TlsVersion;
  /**
   * offered: a handshake at exactly this version completed (SSLv3, which
   * OpenSSL 3 cannot send: the server answered our own SSLv3 ClientHello with
   * an SSLv3 ServerHello); not-offered: the server refused it (alert, reset,
   * or answered with another version);
   * unprobeable: the version could not be asked for (the reason says why);
   * error: the peer broke the handshake (timeout, garbage, oversized messages).
   */
  state: 'offered' | 'not-offered' | 'unprobeable' | 'error';
  detail: string;
  /** The cipher the server chose when offered. */
  cipher?: string;
}

export interface TlsProtocols {
  /** OpenSSL that made the probes (process.versions.openssl). */
  openssl: string;
  probes: TlsProtocolProbe[];
}

/** Weaknesses of a cipher suite, from its name (see src/collectors/tls/ciphers.ts). */
export type CipherWeakness = 'null' | 'anonymous' | 'export' | 'rc4' | 'des' | '3des' | 'md5' | 'no-forward-secrecy' | 'cbc-sha1';

export interface TlsCipherInfo {
  /** OpenSSL name, e.g. ECDHE-RSA-AES128-GCM-SHA256 or TLS_AES_128_GCM_SHA256. */
  name: string;
  /** IANA name when known, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
  standardName?: string;
  kex: string;
  enc: string;
  mac: string;
  forwardSecrecy: boolean;
  weaknesses: CipherWeakness[];
}

export interface TlsVersionCiphers {
  version: TlsVersion;
  /** Accepted suites in the order the server chose them (its preference when serverOrder is true). */
  accepted: TlsCipherInfo[];
  /** true: the server picks by its own order; false: it follows the client's; null: fewer than two suites or not tested. */
  serverOrder: boolean | null;
  /** Probes made: raw ClientHellos answered up to the ServerHello (src/collectors/tls/hello.ts), not completed handshakes. */
  handshakes: number;
  /** The enumeration ended early (cap reached, or the peer broke a handshake): accepted may be incomplete. */
  incomplete?: string;
}

export interface TlsCipherScan {
  openssl: string;
  /** Versions the server offers, each enumerated; versions not offered are absent. */
  versions: TlsVersionCiphers[];
  /** Cipher families the local OpenSSL cannot offer any more, so their absence is unproven. */
  unprobeable: string[];
  concurrency: number;
}

export interface TlsCertInfo {
  subject: string;
  issuer: string;
  /** Common name of the subject, when it has one. */
  cn?: string;
  serial: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** rsa, ec, ed25519, ed448, dsa, ... */
  keyType: string;
  keyBits: number;
  curve?: string;
  /** e.g. sha256WithRSAEncryption, ecdsa-with-SHA256 (OID when unnamed). */
  signatureAlgorithm: string;
  /** Hash of the signature: MD5, SHA-1, SHA-256, ... ; 'intrinsic' for Ed25519/Ed448. */
  signatureHash: string;
  isCA: boolean;
  /** Subject equals issuer and the certificate verifies with its own key. */
  selfSigned: boolean;
  san: { dns: string[]; ip: string[] };
  crlUrls: string[];
  ocspUrls: string[];
  fingerprint256: string;
  /** served: sent by the server; trust-store: added from the trust anchors (system or --ca) while building the chain. */
  source: 'served' | 'trust-store';
}

export interface TlsCertificate {
  /** The host name or IP address the client connected to (what the certificate must name). */
  host: string;
  /** Collection time (ISO 8601): judges compute validity from it, never from the clock. */
  now: string;
  /** Days before expiry at which to warn, e.g. [30, 60]. */
  warnDays: number[];
  protocol: string;
  cipher: string;
  /** Leaf first, as served, completed from the trust anchors where OpenSSL found an issuer there. */
  chain: TlsCertInfo[];
  /** Verification of the chain against the trust anchors (OpenSSL's verdict, without the hostname). */
  trust: { verified: boolean; error?: string; anchors: string };
  /** A handshake needed the client certificate (--cert) because the server refused one without it. */
  viaClientCertificate?: boolean;
}

export interface TlsRevocationSource {
  kind: 'crl-file' | 'crl-online' | 'ocsp' | 'ocsp-stapled';
  /** The CRL file, URL or OCSP responder. */
  where: string;
  /** Subject of the certificate this source speaks about. */
  certificate: string;
  /** good / revoked: a usable answer; unusable: bad signature, wrong issuer, unreadable, unreachable. */
  status: 'good' | 'revoked' | 'unknown' | 'unusable';
  detail: string;
  signatureValid?: boolean;
  thisUpdate?: string;
  nextUpdate?: string;
  revokedAt?: string;
  reason?: string;
}

export interface TlsRevocation {
  now: string;
  /** Online sources (CRL distribution points, OCSP) were consulted (--revocation-online). */
  online: boolean;
  /** The leaf names these in its extensions. */
  crlUrls: string[];
  ocspUrls: string[];
  /** The server stapled an OCSP response to the handshake. */
  stapled: boolean;
  /** Local CRL files given (--crl). */
  crlFiles: string[];
  sources: TlsRevocationSource[];
}

export interface TlsAttempt {
  /**
   * refused-handshake: a TLS alert or reset during the handshake; refused-after-handshake:
   * the alert came on the first read (TLS 1.3 checks the client certificate after the
   * client finished); accepted: TLS held and MQTT got a CONNACK (whatever its code);
   * no-connack: TLS held but MQTT got no answer.
   */
  outcome: 'refused-handshake' | 'refused-after-handshake' | 'accepted' | 'no-connack';
  detail: string;
  protocol?: string;
  /** The CONNACK of a CONNECT without username and password (withoutCertificate), or with the identity given. */
  connack?: ConnackSummary;
}

export interface TlsClientAuth {
  withoutCertificate: TlsAttempt;
  withCertificate: Tested<TlsAttempt & { certificate: string }>;
}
