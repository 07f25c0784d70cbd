import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

const authn = (algo: string) => emqx(`authentication = [\n  {\n    mechanism = password_based\n    backend = built_in_database\n    password_hash_algorithm ${algo}\n  }\n]\n`);

export default {
  good: [
    { name: 'pbkdf2 600000', facts: authn('{ name = pbkdf2, mac_fun = sha256, iterations = 600000 }') },
    { name: 'bcrypt 12', facts: authn('{ name = bcrypt, salt_rounds = 12 }') },
    { name: 'no password authenticator', facts: emqx('authentication = [{ mechanism = jwt, from = password }]\n') },
  ],
  bad: [
    { name: 'plain', facts: authn('{ name = plain }'), line: 5, severity: 'critical' },
    { name: 'unsalted sha256', facts: authn('{ name = sha256, salt_position = disable }'), line: 5, severity: 'critical' },
    { name: 'salted sha512', facts: authn('{ name = sha512, salt_position = prefix }'), line: 5, severity: 'medium' },
    { name: 'bcrypt 5 rounds', facts: authn('{ name = bcrypt, salt_rounds = 5 }'), line: 5, message: 'salt_rounds 5' },
    { name: 'pbkdf2 1000 iterations', facts: authn('{ name = pbkdf2, mac_fun = sha256, iterations = 1000 }'), line: 5 },
    { name: 'built-in database default hash', facts: emqx('authentication = [{ mechanism = password_based, backend = built_in_database }]\n'), line: 1, severity: 'medium' },
  ],
} satisfies CheckCases;
