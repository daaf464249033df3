/**
 * The shape of an AWS region code: partition prefix, optional `gov`/`iso` qualifier, direction,
 * number (`ca-central-1`, `us-gov-west-1`, `ap-southeast-5`). Checked by shape, not against a
 * list, so a region launched after this was written still passes.
 */
export const AWS_REGION_PATTERN =
  /^[a-z]{2}(-gov|-iso[a-z]?)?-(central|north|south|east|west|northeast|northwest|southeast|southwest)-\d{1,2}$/;

export const DEFAULT_REGION = 'ca-central-1';
