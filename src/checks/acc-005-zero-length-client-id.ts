import { defineCheck, untested } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'ACC-005',
    name: 'zero-length-client-id',
    title: 'Zero-length client IDs accepted',
    strategy: 'access',
    severity: 'low',
    scope: 'endpoint',
    intrusive: false,
    needs: ['mqtt.probe'],
    description:
      'Connects with an empty client ID (clean session) using the identity used. Accepting it lets clients connect without a stable identity, which defeats per-client ACLs (`%c` patterns), client-ID-based bans and audit trails.',
    remediation:
      'Mosquitto: `allow_zero_length_clientid false` (per listener with `per_listener_settings true`). EMQX: refuse empty client IDs in the authentication/authorization rules (e.g. an ACL or authn source keyed on `${clientid}`) and enable `flapping_detect`.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html#_Toc3901059'],
  },
  judge({ 'mqtt.probe': p }) {
    const z = p.zeroLengthClientId;
    if (!z.tested) return untested(z);
    const evidence = { identity: p.identity, connackCode: z.code, connack: z.codeName, ...(z.assignedClientId ? { assignedClientId: z.assignedClientId } : {}) };
    if (!z.accepted) return { status: 'PASS', message: `empty client ID refused: ${z.codeName}`, evidence };
    if (z.assignedClientId !== undefined && z.assignedClientId === p.username) {
      // use_username_as_clientid: the broker binds the session to the identity, which is what matters.
      return { status: 'PASS', message: `the broker replaced the empty client ID by the username "${p.username}"`, evidence };
    }
    return {
      status: 'FAIL',
      message: `an empty client ID was accepted${z.assignedClientId ? ` (the broker assigned "${z.assignedClientId}")` : ''}`,
      evidence,
    };
  },
});
