// The Finks policy pack: `pulumi preview|up --policy-pack apps/infrastructure/policies`.
// Constructing a PolicyPack starts its server, so the policies themselves live in
// finks-policies.ts, where the tests import them.
import { PolicyPack } from '@pulumi/policy';
import { RESOURCE_POLICIES, STACK_POLICIES } from './finks-policies';

new PolicyPack('finks-policies', {
  policies: [...RESOURCE_POLICIES, ...STACK_POLICIES],
});
