package io.tracegql.graphql.compiled;

import java.util.Map;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.tracegql.graphql.Documents;

/** Answers queries with one SQL statement each; none yet: every request runs field by field. */
@ApplicationScoped
public class CompiledQueries {

    /** The JSON text of the data of a query, or null when it is answered field by field. */
    public Uni<String> answer(
            Documents.Entry entry, String query, String operationName, Map<String, Object> variables) {
        return Uni.createFrom().nullItem();
    }
}
