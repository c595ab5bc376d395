/** The two canary rows of a Backtrack drill, by sequence number. */

/** Seq of the marker row (must survive the backtrack). */
export const MARKER_SEQ = 1;
/** Seq of the sentinel row (the "corruption" the backtrack must remove). */
export const SENTINEL_SEQ = 2;
