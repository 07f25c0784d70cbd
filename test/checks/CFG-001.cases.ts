import type { CheckCases } from './fixtures.js';
import { chain, firewall, rule } from './system-fixtures.js';

export default {
  good: [
    { name: 'nftables input policy drop', facts: { 'sys.firewall': firewall([chain({ rules: [rule({ dports: [22], proto: 'tcp' })] })]) } },
    { name: 'accept policy with a final drop rule', facts: { 'sys.firewall': firewall([chain({ policy: 'accept', rules: [rule({ dports: [22] }), rule({ verdict: 'drop' })] })]) } },
  ],
  bad: [
    { name: 'empty ruleset', facts: { 'sys.firewall': firewall([]) }, message: 'no input filtering' },
    { name: 'accept everything', facts: { 'sys.firewall': firewall([chain({ policy: 'accept', rules: [rule({ dports: [22] })] })]) }, severity: 'medium' },
  ],
  skip: [{ name: 'no tools', facts: { 'sys.firewall': firewall([], { backends: [], looked: ['nft (not installed)'] }) }, message: 'nft (not installed)' }],
} satisfies CheckCases;
