package io.tracegql.store;

/**
 * What a statement over the runs {@code r} selects, and the conditions it needs checked before it reads
 * any row (its JSON paths): the columns of a {@link RunSelection}, or the JSON that a compiled read
 * writes.
 */
interface RunSelectList {

    /** Appends the select list. */
    void appendSelect(SqlBuilder sql);

    /** Appends " and ..." conditions that hold whenever what the select list uses is valid. */
    void appendPathChecks(SqlBuilder sql);
}
