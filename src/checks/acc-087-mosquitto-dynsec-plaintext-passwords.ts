import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

export default defineCheck({
  meta: {
    id: 'ACC-087',
    name: 'mosquitto-dynsec-plaintext-passwords',
    title: 'Plain-text dynamic-security password file (`<config>.pw`) left next to the config',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.dynsec'],
    description:
      'At first start without a config file (and without `plugin_opt_password_init_file` or `MOSQUITTO_DYNSEC_PASSWORD`), the dynamic-security plugin of Mosquitto 2.1 writes the random passwords of `admin` and `democlient` in plain text to `<plugin_opt_config_file>.pw`. The file is meant to be read once and deleted: while it exists, anyone who can read it has the administrator password. Only the user names it holds are reported, never the passwords.',
    remediation:
      'Note the passwords you need, change them (`mosquitto_ctrl -u admin dynsec setClientPassword admin`), and delete the file: `shred -u /etc/mosquitto/dynamic-security.json.pw` (or `rm`). For new installs, give the initial password with `plugin_opt_password_init_file` instead.',
    references: ['https://mosquitto.org/documentation/dynamic-security/', 'https://github.com/eclipse-mosquitto/mosquitto/blob/master/plugins/dynamic-security/README.md'],
  },
  judge({ 'config.dynsec': d }) {
    const read = d.files.filter((f) => f.parsed);
    if (!read.length) return { status: 'SKIP', message: `not judged: ${d.files.map((f) => `${f.path} (${f.error ?? 'unread'})`).join(', ')} (see CFG-080)` };
    const fails: Verdict[] = [];
    for (const f of read) {
      const pw = f.generatedPasswords;
      if (!pw) continue;
      const users = pw.users.length ? pw.users.map((u) => `"${u}"`).join(', ') : 'no user';
      const readable = pw.mode !== undefined && pw.mode & 0o044 ? ` and readable by ${pw.mode & 0o004 ? 'every user' : 'its group'} (mode ${pw.mode.toString(8).padStart(4, '0')})` : '';
      fails.push({ status: 'FAIL', message: `${pw.path} holds the plain-text passwords of ${users}${readable}`, location: { file: pw.path, line: 1, column: 1 }, key: pw.path, evidence: { users: pw.users } });
    }
    return fails.length ? fails : [{ status: 'PASS', message: `no <config>.pw file next to ${read.map((f) => f.readPath ?? f.path).join(', ')}` }];
  },
});
