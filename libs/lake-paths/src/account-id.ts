import { LakePathError } from './lake-path-error';

const ACCOUNT_ID = /^\d{12}$/;

export function assertAccountId(value: string, part = 'accountId'): void {
  if (ACCOUNT_ID.test(value)) return;
  throw new LakePathError({
    code: 'invalid_account_id',
    part,
    value,
    problem: 'is not an AWS account id (expected exactly 12 digits)',
  });
}
