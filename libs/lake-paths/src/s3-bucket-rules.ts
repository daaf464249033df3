import { LakePathError } from './lake-path-error';

interface BucketRule {
  readonly broken: (name: string) => boolean;
  readonly problem: string;
}

// S3's naming rules for general purpose buckets:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
// Our own format never produces most of these, but parsed names come from anywhere, and a future
// change to the format should fail here rather than at CreateBucket.
const RULES: readonly BucketRule[] = [
  {
    broken: (name) => name.length < 3 || name.length > 63,
    problem: 'must be 3–63 characters long (S3 bucket naming rules)',
  },
  {
    broken: (name) => !/^[a-z0-9.-]+$/.test(name),
    problem:
      'may contain only lowercase letters, digits, dots and hyphens (S3 bucket naming rules)',
  },
  {
    broken: (name) => !/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name),
    problem: 'must start and end with a lowercase letter or digit (S3 bucket naming rules)',
  },
  {
    broken: (name) => name.includes('..'),
    problem: 'must not contain two adjacent dots (S3 bucket naming rules)',
  },
  {
    broken: (name) => /^\d{1,3}(\.\d{1,3}){3}$/.test(name),
    problem: 'must not look like an IP address (S3 bucket naming rules)',
  },
  {
    broken: (name) => ['xn--', 'sthree-', 'amzn-s3-demo-'].some((p) => name.startsWith(p)),
    problem: 'must not start with a prefix S3 reserves: xn--, sthree-, amzn-s3-demo-',
  },
  {
    broken: (name) =>
      ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].some((s) => name.endsWith(s)),
    problem: 'must not end with a suffix S3 reserves: -s3alias, --ol-s3, .mrap, --x-s3, --table-s3',
  },
];

export function assertS3BucketName(name: string, part = 'bucket'): void {
  const broken = RULES.find((rule) => rule.broken(name));
  if (broken)
    throw new LakePathError({ code: 'invalid_bucket', part, value: name, problem: broken.problem });
}
