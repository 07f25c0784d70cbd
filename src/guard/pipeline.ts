/**
 * Wiring shared by `guard test` and the daemon: config → allowlist, parser
 * for a source's format, detector config.
 */
import type { GuardConfig } from './config.js';
import type { DetectorConfig } from './detector.js';
import type { EventSink, LineParser } from './events.js';
import { AllowList, defaultAllow } from './ip.js';
import { EmqxParser } from './parsers/emqx.js';
import { GenericParser } from './parsers/generic.js';
import { MosquittoParser, type MosquittoParserOptions } from './parsers/mosquitto.js';

export type Format = 'mosquitto' | 'emqx' | 'generic';

export function makeParser(format: Format, sink: EventSink, cfg: GuardConfig, opts: MosquittoParserOptions = {}): LineParser {
  switch (format) {
    case 'mosquitto':
      return new MosquittoParser(sink, opts);
    case 'emqx':
      return new EmqxParser(sink);
    case 'generic':
      if (!cfg.generic.length) throw new Error('format "generic" needs at least one entry under "generic:" in the config');
      return new GenericParser(sink, cfg.generic);
  }
}

export function makeAllowList(cfg: GuardConfig): AllowList {
  const allow = new AllowList();
  for (const entry of [...(cfg.ban.allowDefaults ? defaultAllow() : []), ...cfg.ban.allow]) allow.add(entry);
  return allow;
}

export function detectorConfig(cfg: GuardConfig): DetectorConfig {
  return {
    auth: cfg.detect.auth,
    flood: cfg.detect.flood,
    scanner: cfg.detect.scanner,
    username: cfg.detect.username,
    subnet: cfg.detect.subnet,
    swarm: cfg.detect.swarm,
    bantime: cfg.ban.bantime,
    factor: cfg.ban.factor,
    maxbantime: cfg.ban.maxbantime,
    maxTracked: cfg.maxTracked,
  };
}
