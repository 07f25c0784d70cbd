import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf, HARDENED } from './config-fixtures.js';

const AUTHN = 'authentication = [{ mechanism = password_based, backend = built_in_database }]\n';

export default {
  good: [
    { name: 'hardened, nothing undone', facts: emqxOf(AUTHN + 'authorization.no_match = deny\n', HARDENED) },
    { name: 'hardened, JWT denying missing tokens', facts: emqxOf('authentication = [{ mechanism = jwt, from = password, secret = "x", on_missing_jwt = deny }]\n', HARDENED) },
  ],
  bad: [
    { name: 'hardened, authentication backend failures ignored', facts: emqxOf(AUTHN + 'authentication_settings {\n  ignore_backend_failures = true\n}\n', HARDENED), line: 3, message: 'authentication backend' },
    { name: 'hardened, authorization backend failures ignored', facts: emqxOf('authorization.ignore_backend_failures = true\n', HARDENED), line: 1, message: 'authorization backend' },
    { name: 'hardened, JWT lets token-less clients on', facts: emqxOf('authentication = [\n  { mechanism = jwt, from = password, secret = "x", on_missing_jwt = ignore }\n]\n', HARDENED), line: 2, message: 'on_missing_jwt = ignore' },
  ],
  skip: [{ name: 'legacy profile: nothing to undo', facts: emqx('authorization.ignore_backend_failures = true\n'), message: 'legacy security profile' }],
} satisfies CheckCases;
