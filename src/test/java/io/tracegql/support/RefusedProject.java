package io.tracegql.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkus.vertx.VertxContextSupport;

import io.tracegql.store.Sql;

/**
 * A failure that no client can cause or fix, made on purpose: while open, the database refuses to
 * insert a project of one name, for a reason of its own (a trigger raising an exception). What the
 * gateway answers and logs for it is what it does for any unexpected error.
 */
public final class RefusedProject implements AutoCloseable {

    /** The error id that a masked error's message gives the client; group 1 is the id. */
    public static final Pattern ERROR_ID = Pattern.compile("its id in the gateway's log is ([0-9a-z]{10})");
    /** What the database says, which the gateway's log holds and the client never sees. */
    public static final String CAUSE = "no probes here";

    private final Sql sql;
    private final String function;

    private RefusedProject(Sql sql, String name) {
        this.sql = sql;
        this.function = "refuse_" + name.replaceAll("[^a-z0-9]", "_");
    }

    /** Refuses inserts of the project called {@code name} until closed. */
    public static RefusedProject named(Sql sql, String name) throws Throwable {
        RefusedProject refused = new RefusedProject(sql, name);
        refused.database("create or replace function " + refused.function
                + "() returns trigger language plpgsql as $$ begin raise exception 'projects." + refused.function
                + ": " + CAUSE + "'; end $$");
        refused.database("create trigger " + refused.function + " before insert on projects for each row"
                + " when (new.name = '" + name + "') execute function " + refused.function + "()");
        return refused;
    }

    /** The error id in a masked error's message. */
    public static String errorId(String message) {
        Matcher id = ERROR_ID.matcher(message);
        if (!id.find()) {
            throw new AssertionError("no error id in: " + message);
        }
        return id.group(1);
    }

    @Override
    public void close() throws Exception {
        try {
            database("drop trigger " + function + " on projects");
            database("drop function " + function + "()");
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private void database(String statement) throws Throwable {
        VertxContextSupport.subscribeAndAwait(
                () -> sql.pool().query(statement).execute().replaceWithVoid());
    }
}
