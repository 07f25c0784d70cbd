import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { dynsecLoc, dynsecVerdicts, loadedDynsec } from './dynsec-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-083',
    name: 'mosquitto-dynsec-client-without-password',
    title: 'Mosquitto dynamic-security clients without a usable password',
    strategy: 'access',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.dynsec'],
    description:
      'A client with no `encoded_password` (nor the 2.0 fields `password`, `salt`, `iterations`) cannot log in with a password: Mosquitto 2.0.11 refuses it whatever password is sent (measured). It is usable only where the listener takes the user name from a client certificate (`use_identity_as_username`, `use_subject_as_username`): then it is a certificate client, and this finding is the reminder that the listener must require certificates from a CA you control. Otherwise it is an account nobody can use, left with its roles: remove it. A stored value the plugin cannot decode (neither `$7$` nor `$argon2id$`) locks the client out the same way. Disabled clients are left out.',
    remediation:
      'Set a password: `mosquitto_ctrl -u admin dynsec setClientPassword USERNAME` (prompts; use a long random one, e.g. from `mqtt-warden passwd gen`), or delete the client (`mosquitto_ctrl -u admin dynsec deleteClient USERNAME`) if certificate identities are not meant to use it.',
    references: ['https://mosquitto.org/documentation/dynamic-security/'],
  },
  judge({ 'config.dynsec': d }) {
    const { configs, unread } = loadedDynsec(d);
    const fails: Verdict[] = [];
    for (const cfg of configs) {
      for (const c of cfg.clients) {
        if (c.disabled) continue;
        if (c.credential.scheme === 'none') fails.push({ status: 'FAIL', message: `client "${c.username}" (${c.at.pointer}) has no password: it can only be used through a certificate identity`, location: dynsecLoc(c.at), key: c.username });
        else if (c.credential.scheme === 'invalid') fails.push({ status: 'FAIL', message: `client "${c.username}" (${c.at.pointer}) has a password the plugin cannot use: ${c.credential.why}`, location: dynsecLoc(c.at), key: c.username });
      }
    }
    return dynsecVerdicts(fails, unread, 'every enabled dynamic-security client has a usable password hash');
  },
});
