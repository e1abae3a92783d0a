package io.tracegql.graphql;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.CDI;

import graphql.ExecutionInput;
import graphql.GraphQLError;
import graphql.ParseAndValidate;
import graphql.ParseAndValidateResult;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;
import graphql.schema.GraphQLSchema;

import io.tracegql.config.TracegqlConfig;

/**
 * The parsed and validated documents, by query text and operation name, at most {@code
 * tracegql.graphql.document-cache-size} of them (least recently used first out). graphql-java asks
 * it for every operation it runs (it is the engine's {@link PreparsedDocumentProvider}, installed by
 * {@link Instrumentations}); the HTTP endpoint asks it before it decides how to answer. A document is
 * parsed and validated once; a hit skips both. Documents with errors are not kept: graphql-java
 * reports their errors each time.
 *
 * <p>Each entry also keeps what the endpoint learned about its operation (see {@link Entry#plan}).
 */
@ApplicationScoped
public class Documents implements PreparsedDocumentProvider {

    private final BoundedCache<Key, Entry> entries;
    private final AtomicLong parses = new AtomicLong();

    public Documents(TracegqlConfig config) {
        this.entries = new BoundedCache<>(config.graphql().documentCacheSize());
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(
            ExecutionInput input, Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        Key key = new Key(input.getQuery(), input.getOperationName());
        Entry entry = entries.get(key);
        if (entry != null) {
            return CompletableFuture.completedFuture(entry.document());
        }
        parses.incrementAndGet();
        PreparsedDocumentEntry parsed = parseAndValidate.apply(input);
        if (!parsed.hasErrors()) {
            entries.put(key, new Entry(parsed));
        }
        return CompletableFuture.completedFuture(parsed);
    }

    /**
     * The entry of a document, parsed and validated against the schema on a miss, or the syntax or
     * validation errors that keep it from running (graphql-java's, with their locations).
     */
    public Lookup lookup(String query, String operationName) {
        Key key = new Key(query, operationName);
        Entry entry = entries.get(key);
        if (entry != null) {
            return new Lookup(entry, List.of());
        }
        parses.incrementAndGet();
        ExecutionInput input = ExecutionInput.newExecutionInput(query)
                .operationName(operationName)
                .build();
        ParseAndValidateResult result = ParseAndValidate.parseAndValidate(schema(), input);
        if (result.isFailure()) {
            return new Lookup(null, result.getErrors());
        }
        entry = new Entry(new PreparsedDocumentEntry(result.getDocument()));
        entries.put(key, entry);
        return new Lookup(entry, List.of());
    }

    /** A valid document's entry, or (entry null) the errors of an invalid one. */
    public record Lookup(Entry entry, List<GraphQLError> errors) {}

    /** How many documents were parsed and validated since start: misses of the cache. */
    public long parses() {
        return parses.get();
    }

    private static GraphQLSchema schema() {
        return CDI.current().select(GraphQLSchema.class).get();
    }

    private record Key(String query, String operationName) {}

    /** How the operation of a document is answered, decided once per document by whoever answers it. */
    public interface Plan {}

    /** A valid document and, once known, how its operation is answered. */
    public static final class Entry {
        private final PreparsedDocumentEntry document;
        private volatile Plan plan;

        Entry(PreparsedDocumentEntry document) {
            this.document = document;
        }

        PreparsedDocumentEntry document() {
            return document;
        }

        public Document parsed() {
            return document.getDocument();
        }

        /** What the endpoint decided for this document (null until it decided), kept with it. */
        public Plan plan() {
            return plan;
        }

        public void plan(Plan plan) {
            this.plan = plan;
        }
    }
}
