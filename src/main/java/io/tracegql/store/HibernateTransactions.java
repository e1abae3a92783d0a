package io.tracegql.store;

import java.util.function.Function;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Transactions of the writes through Hibernate Reactive (projects, feedback). As with {@link
 * Sql#inTransaction}, a connection lost on the way (at begin, in a statement or at commit) becomes
 * {@link DatabaseUnavailableException}, and nothing is committed.
 */
@ApplicationScoped
public class HibernateTransactions {

    private final Mutiny.SessionFactory sessions;
    private final ReadRouting reads;

    public HibernateTransactions(Mutiny.SessionFactory sessions, ReadRouting reads) {
        this.sessions = sessions;
        this.reads = reads;
    }

    public <T> Uni<T> inTransaction(Function<Mutiny.Session, Uni<T>> work) {
        ReadRouting.Reader reader = ReadRouting.currentReader();
        return sessions.withTransaction(work)
                .invoke(() -> reads.wrote(reader))
                .onFailure(e -> !(e instanceof DatabaseUnavailableException) && Sql.isConnectionFailure(e))
                .transform(e -> new DatabaseUnavailableException("the database is unavailable", e));
    }
}
