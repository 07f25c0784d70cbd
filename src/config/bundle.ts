/**
 * What the config checks judge: the loaded configs together with the files they
 * reference (ACL, password, PSK files), as plain data (facts are cloned and frozen).
 */
import type { AclFile, MosquittoConfig, MosquittoTarget, PasswordFile, PskFile } from './mosquitto.js';
import type { EmqxConfigData } from './emqx.js';
import type { EmqxAcl } from './emqx-acl.js';
import type { SourceLoc } from './io.js';
import type { CrackResult } from '../credentials/crack.js';
import type { EmqxBootstrap } from './emqx-bootstrap.js';

/** A file referenced by a config directive: parsed, or why it could not be read. */
export interface ReferencedFile<T> {
  /** The path as written in the config. */
  path: string;
  /** The directive that names it. */
  ref: SourceLoc;
  /** The path actually read, when it differs (next to the config, or under --root). */
  readPath?: string;
  parsed?: T;
  /** Why it was not read (ENOENT, EACCES …). */
  error?: string;
  /** Permission bits and owner, when known (host audits and lint of local files). */
  mode?: number;
  uid?: number;
}

export interface ConfigMosquittoFact {
  configs: MosquittoConfig[];
  /** ACL files: referenced by acl_file (ref = that directive), or given directly (ref = line 1 of the file). */
  aclFiles: ReferencedFile<AclFile>[];
  pskFiles: ReferencedFile<PskFile>[];
  /** The Mosquitto version judged for (absent: unknown, the checks state the 2.0 and the 2.1 defaults). */
  target?: MosquittoTarget;
}

export interface ConfigEmqxFact {
  configs: EmqxConfigData[];
  /** acl.conf of enabled file authorization sources, or given directly. */
  aclFiles: ReferencedFile<EmqxAcl>[];
}

/** Credential stores: Mosquitto password files (referenced by configs, or given directly). */
export interface ConfigPasswordsFact {
  mosquitto: ReferencedFile<PasswordFile>[];
  /** The Mosquitto version judged for (as in the config.mosquitto fact). */
  mosquittoTarget?: MosquittoTarget;
  /** EMQX built-in database bootstrap files (given, or named by an authenticator's bootstrap_file). */
  emqxBootstrap?: ReferencedFile<EmqxBootstrap>[];
  /** Result of `passwd audit --crack-test WORDLIST` (absent: not run). */
  crackTest?: CrackResult;
}
