package io.tracegql.graphql;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import graphql.ErrorClassification;
import graphql.ExceptionWhileDataFetching;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import io.smallrye.graphql.execution.datafetcher.DataFetcherException;
import org.jboss.logging.Logger;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import io.tracegql.domain.ClientException;

/**
 * The one place that decides how an exception reaches a GraphQL client, for queries, mutations and
 * every event of a subscription. A {@link ClientException} is shown with its message and its code,
 * and logged at DEBUG only; any other exception is an internal error: the client gets code {@value
 * #INTERNAL_ERROR} and a message with a short random error id, and the exception is logged once at
 * ERROR, with its stack trace, under that id. Errors graphql-java reports itself (syntax, validation,
 * variables) are passed on as they are.
 */
public final class ErrorReporting extends SimplePerformantInstrumentation {

    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private static final Logger LOG = Logger.getLogger(ErrorReporting.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_CHARACTERS = "0123456789abcdefghijkmnpqrstuvwxyz".toCharArray();

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(
            ExecutionResult result, InstrumentationExecutionParameters parameters, InstrumentationState state) {
        return CompletableFuture.completedFuture(report(result));
    }

    /** The error a client gets for a client exception that ended a request before any field was fetched. */
    static GraphQLError toGraphQLError(ClientException exception, ErrorClassification classification) {
        return GraphqlErrorBuilder.newError()
                .message(exception.getMessage())
                .locations(null)
                .errorType(classification)
                .extensions(code(exception.code()))
                .build();
    }

    private static ExecutionResult report(ExecutionResult result) {
        if (result.getData() instanceof Publisher<?> events) {
            // A subscription: its events carry the errors, each is reported as it is sent.
            @SuppressWarnings("unchecked")
            Publisher<ExecutionResult> stream = (Publisher<ExecutionResult>) events;
            return ExecutionResult.newExecutionResult()
                    .from(result)
                    .errors(reported(result.getErrors()))
                    .data(new ReportingPublisher(stream))
                    .build();
        }
        if (result.getErrors().isEmpty()) {
            return result;
        }
        return ExecutionResult.newExecutionResult()
                .from(result)
                .errors(reported(result.getErrors()))
                .build();
    }

    private static List<GraphQLError> reported(List<GraphQLError> errors) {
        // One exception may fail many fields (a batch of a whole level): it is logged once, under one id.
        Map<Throwable, String> ids = new IdentityHashMap<>();
        List<GraphQLError> reported = new ArrayList<>(errors.size());
        for (GraphQLError error : errors) {
            reported.add(error instanceof ExceptionWhileDataFetching failed ? reported(failed, ids) : error);
        }
        return reported;
    }

    private static GraphQLError reported(ExceptionWhileDataFetching error, Map<Throwable, String> ids) {
        Throwable exception = unwrapped(error.getException());
        GraphqlErrorBuilder<?> builder = GraphqlErrorBuilder.newError()
                .locations(error.getLocations())
                .path(error.getPath())
                .errorType(error.getErrorType());
        if (exception instanceof ClientException client) {
            LOG.debugf("client error %s at %s: %s", client.code(), error.getPath(), client.getMessage());
            return builder.message(client.getMessage())
                    .extensions(code(client.code()))
                    .build();
        }
        String id = ids.get(exception);
        if (id == null) {
            id = newId();
            ids.put(exception, id);
            LOG.errorf(exception, "internal error %s at %s", id, error.getPath());
        }
        return builder.message("internal error; its id in the gateway's log is " + id)
                .extensions(code(INTERNAL_ERROR))
                .build();
    }

    /** The exception a wrapper carries: a failed stage, a failed stream, or a bare RuntimeException around it. */
    private static Throwable unwrapped(Throwable exception) {
        Throwable current = exception;
        while (current.getCause() != null
                && current.getCause() != current
                && (current instanceof CompletionException
                        || current instanceof ExecutionException
                        || current instanceof DataFetcherException
                        || current.getClass() == RuntimeException.class)) {
            current = current.getCause();
        }
        return current;
    }

    private static Map<String, Object> code(String code) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("code", code);
        return extensions;
    }

    /** Ten random characters: short enough to read out, enough to find one request in the log. */
    private static String newId() {
        char[] id = new char[10];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARACTERS[RANDOM.nextInt(ID_CHARACTERS.length)];
        }
        return new String(id);
    }

    /** The events of a subscription, each with its errors reported. */
    private record ReportingPublisher(Publisher<ExecutionResult> events) implements Publisher<ExecutionResult> {

        @Override
        public void subscribe(Subscriber<? super ExecutionResult> subscriber) {
            events.subscribe(new Subscriber<>() {
                @Override
                public void onSubscribe(Subscription subscription) {
                    subscriber.onSubscribe(subscription);
                }

                @Override
                public void onNext(ExecutionResult event) {
                    subscriber.onNext(report(event));
                }

                @Override
                public void onError(Throwable failure) {
                    subscriber.onError(failure);
                }

                @Override
                public void onComplete() {
                    subscriber.onComplete();
                }
            });
        }
    }
}
