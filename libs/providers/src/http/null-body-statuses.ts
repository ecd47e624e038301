/** Statuses whose responses cannot carry a body (Fetch standard "null body status"). */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);
