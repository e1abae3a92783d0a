package io.tracegql.support;

import io.tracegql.store.Sql;

/** Counts the SQL statements a request runs. */
public final class Statements {

    private Statements() {}

    /**
     * The statements {@code request} runs, sent twice, the fewer of the two. The API key's lookup is
     * cached for five seconds from when it was read, so it may expire during one of them, never during
     * both: what the request itself runs is the same both times.
     */
    public static long of(Sql sql, Runnable request) {
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            long before = sql.statementCount();
            request.run();
            fewest = Math.min(fewest, sql.statementCount() - before);
        }
        return fewest;
    }
}
