/** ARNs of resources known by name before they exist, for least-privilege policies. */
export interface AccountRef {
  readonly region: string;
  readonly accountId: string;
}

export const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;
export const objectsArn = (bucket: string, prefix = ''): string =>
  `arn:aws:s3:::${bucket}/${prefix}*`;
export const glueJobArn = (account: AccountRef, job: string): string =>
  `arn:aws:glue:${account.region}:${account.accountId}:job/${job}`;
export const glueCatalogArn = (account: AccountRef): string =>
  `arn:aws:glue:${account.region}:${account.accountId}:catalog`;
export const glueDatabaseArn = (account: AccountRef, database: string): string =>
  `arn:aws:glue:${account.region}:${account.accountId}:database/${database}`;
export const glueTablesArn = (account: AccountRef, database: string): string =>
  `arn:aws:glue:${account.region}:${account.accountId}:table/${database}/*`;
export const athenaWorkgroupArn = (account: AccountRef, workgroup: string): string =>
  `arn:aws:athena:${account.region}:${account.accountId}:workgroup/${workgroup}`;
export const logGroupArn = (account: AccountRef, group: string): string =>
  `arn:aws:logs:${account.region}:${account.accountId}:log-group:${group}:*`;
export const taskDefinitionArn = (account: AccountRef, family: string): string =>
  `arn:aws:ecs:${account.region}:${account.accountId}:task-definition/${family}:*`;
export const roleArn = (account: AccountRef, role: string): string =>
  `arn:aws:iam::${account.accountId}:role/${role}`;
export const snsTopicArn = (account: AccountRef, topic: string): string =>
  `arn:aws:sns:${account.region}:${account.accountId}:${topic}`;
