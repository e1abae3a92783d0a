package io.tracegql.store;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** PostgreSQL's plan for a statement the store builds, as the text of EXPLAIN. */
public final class Plans {

    private Plans() {}

    /** A Sort node that orders rows (the Sort Key of a Merge Append merging ordered scans is none). */
    private static final Pattern SORT_NODE = Pattern.compile("(?m)^\\s*(->  )?(Incremental )?Sort  \\(");

    /** Whether the plan sorts rows instead of reading them in order from indexes. */
    public static boolean sorts(String plan) {
        return SORT_NODE.matcher(plan).find();
    }

    /** Runs the setup statements (planner settings, ANALYZE...) then EXPLAIN, in one transaction. */
    static String explain(Sql sql, SqlBuilder query, String... setup) throws Throwable {
        return explain(sql, query.sql(), query.tuple(), setup);
    }

    /** The same for a statement written out, with its parameters. */
    public static String explain(Sql sql, String statement, Tuple parameters, String... setup) throws Throwable {
        List<String> lines = VertxContextSupport.subscribeAndAwait(
                () -> sql.pool().withTransaction(connection -> setUp(connection, setup)
                        .flatMap(ignored ->
                                connection.preparedQuery("explain " + statement).execute(parameters))
                        .map(rows -> {
                            List<String> text = new ArrayList<>();
                            rows.forEach(row -> text.add(row.getString(0)));
                            return text;
                        })));
        return String.join("\n", lines);
    }

    private static Uni<Void> setUp(SqlConnection connection, String... statements) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (String statement : statements) {
            done = done.flatMap(ignored -> connection.query(statement).execute().replaceWithVoid());
        }
        return done;
    }
}
